package salesforce_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

// The tests in this file turn on a behaviour of real orgs in the emulator
// and run plan -> apply -> plan through the client, showing that it
// converges or reports exactly what remains.

// TestPicklistValuesCompareIgnoringCase: records hold "trade show" and
// "TRADE SHOW" beside "Trade Show", and the lowest Id spells it in lower
// case, so that is how the aggregate answer names the group. Plan counts
// all eight, apply moves all eight, and none is left behind a hidden
// value.
func TestPicklistValuesCompareIgnoringCase(t *testing.T) {
	st := seedState(t)
	lead := st.Objects["Lead"].Records
	lead[0].Fields["LeadSource"] = "trade show"
	lead[4].Fields["LeadSource"] = "TRADE SHOW" // was Web
	f := newFixture(t, st)
	moved := f.e.sb.Holders("Lead", "LeadSource", "Trade Show")
	p := f.Plan()
	if want := `migrate-records sf:Lead.LeadSource value="" Trade Show->Event records=8`; !slices.Contains(whats(p.Changes), want) {
		t.Fatalf("plan lacks %s:\n%s", want, strings.Join(whats(p.Changes), "\n"))
	}
	if _, err := f.Apply(f.Request(p)); err != nil {
		t.Fatal(err)
	}
	if p2 := f.Plan(); !p2.Empty() {
		t.Fatalf("not converged:\n%s", strings.Join(whats(p2.Changes), "\n"))
	}
	if left := f.e.sb.Holders("Lead", "LeadSource", "Trade Show"); len(left) > 0 {
		t.Fatalf("records still hold a spelling of Trade Show: %v", left)
	}
	for _, id := range moved {
		if v, _ := f.e.sb.RecordValue("Lead", id, "LeadSource"); v != "Event" {
			t.Errorf("%s holds %q, want Event", id, v)
		}
	}
}

// TestCountsNeverPageAnAggregate: 2,001 leads hold a stray LeadSource
// each (an unrestricted picklist keeps any value), so grouping every
// value would need more than one batch, which Salesforce refuses for a
// GROUP BY. Plan counts only the values it asks about and converges.
func TestCountsNeverPageAnAggregate(t *testing.T) {
	st := seedState(t)
	lead := st.Objects["Lead"]
	for i := range sfapi.MaxQueryBatch + 1 {
		lead.Records = append(lead.Records, &sfsandbox.Record{
			ID: fmt.Sprintf("00Q9%011dAAA", i), Fields: map[string]string{"LeadSource": fmt.Sprintf("import-%d", i)},
		})
	}
	f := newFixture(t, st)
	f.Converge()
	if left := f.e.sb.Holders("Lead", "LeadSource", "Trade Show"); len(left) > 0 {
		t.Fatalf("records still on Trade Show: %v", left)
	}
	if n := len(f.e.sb.Holders("Lead", "LeadSource", "import-2000")); n != 1 {
		t.Fatalf("a stray value changed: %d holders of import-2000", n)
	}
}
