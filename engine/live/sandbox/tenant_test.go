package sandbox

import (
	"slices"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// TestBothPathFamilies: the sandbox answers the v3 paths and the
// date-based ones, and refuses a version HubSpot never released.
func TestBothPathFamilies(t *testing.T) {
	sb := memSandbox(t)
	for path, status := range map[string]int{
		"/crm/v3/properties/contacts":             200,
		"/crm/properties/2026-09/contacts":        200,
		"/crm/properties/2025-09/contacts/region": 200,
		"/crm/properties/2026-05/contacts":        404,
		"/crm/properties/v3/contacts":             404,
	} {
		if a := call(t, sb, "GET", path, ""); a.status != status {
			t.Errorf("GET %s: %d, want %d: %s", path, a.status, status, a.body)
		}
	}
	var v3 hsapi.SubscriptionDefinitions
	call(t, sb, "GET", "/communication-preferences/v3/definitions", "").decode(t, &v3)
	var dated hsapi.DatedSubscriptionDefinitions
	call(t, sb, "GET", "/communication-preferences/2026-09/definitions", "").decode(t, &dated)
	if len(v3.SubscriptionDefinitions) == 0 || len(dated.Results) != len(v3.SubscriptionDefinitions) || dated.Status != hsapi.BatchComplete {
		t.Fatalf("definitions: v3 %d, dated %+v", len(v3.SubscriptionDefinitions), dated)
	}
	// From 2026-09 an option's displayOrder is required.
	noOrder := `{"options":[{"label":"EMEA","value":"emea","hidden":false}]}`
	wantStatus(t, call(t, sb, "PATCH", "/crm/properties/2026-09/contacts/region", noOrder), 400)
	wantStatus(t, call(t, sb, "PATCH", "/crm/v3/properties/contacts/region", noOrder), 200)
}

// TestRequiredPropertiesFromValidatedVersions: an account's required
// property refuses, record by record, an update that would leave it
// empty, through 2026-09 but not through v3.
func TestRequiredPropertiesFromValidatedVersions(t *testing.T) {
	sb := memSandbox(t)
	sb.state.Portal = &Portal{RequiredProperties: []RequiredProperty{
		{Object: "contacts", Property: "region", When: map[string]string{"lead_source": "event"}},
	}}
	// 101 has a region, 102 has none.
	sb.state.Objects["contacts"].Records[1].Properties["region"] = ""
	body := `{"inputs":[{"id":"101","properties":{"lead_source":"event"}},{"id":"102","properties":{"lead_source":"event"}}]}`
	a := call(t, sb, "POST", "/crm/objects/2026-09/contacts/batch/update", body)
	wantStatus(t, a, 207)
	var res hsapi.BatchResponse
	a.decode(t, &res)
	if len(res.Results) != 1 || res.Results[0].ID != "101" || res.NumErrors != 1 ||
		res.Errors[0].Category != hsapi.CategoryValidation || res.Errors[0].Context["ids"][0] != "102" ||
		res.Errors[0].Message != "region is required when lead_source is event" {
		t.Fatalf("answer %s", a.body)
	}
	if v, _ := sb.RecordValues("contacts", "102"); v["lead_source"] == "event" {
		t.Fatal("a refused record was written")
	}
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", body), 200)
}

// TestLifecycleStageOnlyMovesForward: a lifecycle stage written backwards
// is ignored (the answer shows the stage kept); cleared first, it moves;
// a portal that allows backward writes takes it at once.
func TestLifecycleStageOnlyMovesForward(t *testing.T) {
	sb := memSandbox(t)
	update := func(v string) string {
		return `{"inputs":[{"id":"103","properties":{"lifecyclestage":"` + v + `"}}]}`
	}
	stage := func() string { v, _ := sb.RecordValues("contacts", "103"); return v["lifecyclestage"] }
	if stage() != "marketingqualifiedlead" {
		t.Fatalf("seed moved: %q", stage())
	}
	a := call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", update("subscriber"))
	wantStatus(t, a, 200)
	var res hsapi.BatchResponse
	a.decode(t, &res)
	if got := res.Results[0].Properties["lifecyclestage"]; got == nil || *got != "marketingqualifiedlead" || stage() != "marketingqualifiedlead" {
		t.Fatalf("backward write took effect: answered %v, stage %q", got, stage())
	}
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", update("")), 200)
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", update("subscriber")), 200)
	if stage() != "subscriber" {
		t.Fatalf("cleared, then set: %q", stage())
	}
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", update("customer")), 200)
	sb.state.Portal = &Portal{LifecycleBackward: true}
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", update("lead")), 200)
	if stage() != "lead" {
		t.Fatalf("a portal allowing backward writes: %q", stage())
	}
}

// TestSearchLagsWrites: with a search lag, search keeps finding, counting
// and returning a record as it was until the lag after its latest write
// has passed; reads of the record itself are current.
func TestSearchLagsWrites(t *testing.T) {
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	sb := memSandbox(t, WithClock(func() time.Time { return at }))
	sb.state.Portal = &Portal{SearchLag: emulator.Duration(3 * time.Second)}
	trade := query(group(filter("lead_source", "EQ", "trade_show")))
	if n := search(t, sb, trade).Total; n != 3 {
		t.Fatalf("trade_show before: %d", n)
	}
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", batch(input("103", "lead_source", "event"))), 200)
	at = at.Add(2 * time.Second)
	got := search(t, sb, query(group(filter("lead_source", "EQ", "trade_show"), filter("hs_object_id", "EQ", "103"))))
	if got.Total != 1 || *got.Results[0].Properties["lead_source"] != "trade_show" {
		t.Fatalf("2s after the write, search shows %+v; want the record as it was", got)
	}
	if v, _ := sb.RecordValues("contacts", "103"); v["lead_source"] != "event" {
		t.Fatalf("the record itself: %q", v["lead_source"])
	}
	// A second write within the lag keeps the first state showing.
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", batch(input("103", "lead_source", "webinar"))), 200)
	at = at.Add(2 * time.Second)
	if n := search(t, sb, trade).Total; n != 3 {
		t.Fatalf("4s after the first write, 2s after the second: %d on trade_show, want still 3", n)
	}
	at = at.Add(1500 * time.Millisecond)
	if n := search(t, sb, trade).Total; n != 2 {
		t.Fatalf("after the lag: %d on trade_show, want 2", n)
	}
}

// TestSearchSortsAndCompares: the one sort rule orders results (ids
// numerically), without it the order is not by id, and GT compares ids as
// numbers.
func TestSearchSortsAndCompares(t *testing.T) {
	sb := memSandbox(t)
	ids := func(body string) []string {
		var out []string
		for _, r := range search(t, sb, body).Results {
			out = append(out, r.ID)
		}
		return out
	}
	sorted := func(dir string) string {
		return `{"filterGroups":[{"filters":[{"propertyName":"hs_object_id","operator":"GT","value":"99"}]}],"properties":[],` +
			`"sorts":[{"propertyName":"hs_object_id","direction":"` + dir + `"}],"limit":3,"after":"0"}`
	}
	if got := ids(sorted("ASCENDING")); !slices.Equal(got, []string{"101", "102", "103"}) {
		t.Errorf("ascending: %v", got)
	}
	if got := ids(sorted("DESCENDING")); !slices.Equal(got, []string{"112", "111", "110"}) {
		t.Errorf("descending: %v", got)
	}
	if got := ids(query(group(filter("hs_object_id", "GT", "110")))); len(got) != 2 {
		t.Errorf("GT 110: %v", got)
	}
	if got := ids(query()); slices.IsSortedFunc(got, compareIDs) {
		t.Errorf("without a sort rule the sandbox answers in id order, which HubSpot does not promise: %v", got)
	}
}
