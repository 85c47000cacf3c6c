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
