package sandbox

import (
	"testing"

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
