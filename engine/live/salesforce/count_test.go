package salesforce_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

// TestCountRecordsOneGroupByCall: the values asked for are counted with
// one aggregate query bounded by IN, whose answer comes in one batch
// although the emulator pages other answers by 2 rows (Salesforce cannot
// queryMore a GROUP BY).
func TestCountRecordsOneGroupByCall(t *testing.T) {
	e := newEnv(t, sandboxFromSeed(t, sfsandbox.WithPageSize(2)))
	counts, err := e.client.CountRecords(context.Background(), bind("Lead", "LeadSource"), []string{"Trade Show", "Web", "Phone Inquiry", "Trade Show"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"Trade Show": 7, "Web": 4, "Phone Inquiry": 0}, counts); diff != "" {
		t.Fatalf("counts (-want +got):\n%s", diff)
	}
	if q, more := e.tr.count("GET", api+"/query"), e.tr.total("GET "+api+"/query/"); q != 1 || more != 0 {
		t.Fatalf("%d queries and %d further pages, want 1 query", q, more)
	}
}

// TestCountRecordsIgnoresCase: SOQL compares picklist values without
// regard to case, so records holding "trade show" count for "Trade Show"
// however the aggregate row spells the group.
func TestCountRecordsIgnoresCase(t *testing.T) {
	st := seedState(t)
	lead := st.Objects["Lead"].Records
	lead[0].Fields["LeadSource"] = "trade show" // the first record names the group
	lead[4].Fields["LeadSource"] = "TRADE SHOW" // was Web
	sb, err := sfsandbox.FromState(st)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb)
	counts, err := e.client.CountRecords(context.Background(), bind("Lead", "LeadSource"), []string{"Trade Show"})
	if err != nil || counts["Trade Show"] != 8 {
		t.Fatalf("counts %v, %v; want 6 Trade Show, 1 trade show and 1 TRADE SHOW", counts, err)
	}
}

func TestCountRecordsEscapesAndMultiSelect(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	counts, err := e.client.CountRecords(ctx, bind("Lead", "Region__c"), []string{"it's", "latam"})
	if err != nil || counts["it's"] != 1 || counts["latam"] != 5 {
		t.Fatalf("region counts %v, %v", counts, err)
	}
	counts, err = e.client.CountRecords(ctx, bind("Lead", "Interests__c"), []string{"crm", "automation", "analytics"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"crm": 2, "automation": 4, "analytics": 1}, counts); diff != "" {
		t.Fatalf("multi-select counts (-want +got):\n%s", diff)
	}
	if n := e.tr.count("GET", api+"/query"); n != 4 {
		t.Fatalf("%d queries, want 1 GROUP BY and 3 INCLUDES counts", n)
	}
	// The empty value counts records without one: 3 of the seed's 14 leads
	// have no Region__c. A multi-select picklist cannot be grouped, so its
	// empty count is refused rather than guessed.
	if c, err := e.client.CountRecords(ctx, bind("Lead", "Region__c"), []string{"", "latam"}); err != nil || c[""] != 3 || c["latam"] != 5 {
		t.Fatalf("region counts with the empty value: %v, %v", c, err)
	}
	if _, err := e.client.CountRecords(ctx, bind("Lead", "Interests__c"), []string{""}); err == nil {
		t.Fatal("want an error for the empty value of a multi-select picklist")
	}
	if c, err := e.client.CountRecords(ctx, bind("Lead", "Region__c"), nil); err != nil || len(c) != 0 {
		t.Fatalf("no values: %v, %v", c, err)
	}
}
