package salesforce_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// TestEveryCallAgainstEmulator runs every client operation against the
// emulator, the error answers included, and checks that exactly the
// expected REST and Tooling endpoints were used.
func TestEveryCallAgainstEmulator(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.client

	snap, err := c.Read(ctx, live.ReadRequest{Bindings: []live.Binding{
		bind("Lead", "Region__c"), bind("Lead", "Segment__c"), bind("Lead", "LeadSource"), bind("Lead", "Status"),
		bind("Lead", "Interests__c"), bind("Lead", "Email"), bind("Lead", "Nope__c"), bind("Spaceship__c", "Fuel__c"),
		bind("Account", "acme__Tier__c"), bind("Event_Attendance__c", "Outcome__c"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Properties) != 8 || len(snap.Missing) != 2 || len(snap.UnknownObjects) != 1 {
		t.Fatalf("snapshot: %d properties, missing %v, unknown %v", len(snap.Properties), snap.Missing, snap.UnknownObjects)
	}
	if _, err := c.CountRecords(ctx, bind("Lead", "LeadSource"), []string{"Trade Show", "Web"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CountRecords(ctx, bind("Lead", "Interests__c"), []string{"crm"}); err != nil {
		t.Fatal(err)
	}
	region := snap.Properties[bind("Lead", "Region__c")]
	opts := append(append([]live.Option(nil), region.Options...), live.Option{Value: "anz", Label: "ANZ", DisplayOrder: 5})
	if _, err := c.Apply(ctx, live.Change{Binding: bind("Lead", "Region__c"), Action: live.ActionSetOptions, Options: opts}); err != nil {
		t.Fatal(err)
	}
	create := live.Change{Binding: bind("Lead", "Persona__c"), Action: live.ActionCreateProperty, Label: "Persona",
		Options: []live.Option{{Value: "buyer", Label: "Buyer"}, {Value: "user", Label: "User", DisplayOrder: 1}}}
	if _, err := c.Apply(ctx, create); err != nil {
		t.Fatal(err)
	}
	if res, err := c.Apply(ctx, create); err != nil || res.Changed {
		t.Fatalf("re-running create: %+v, %v", res, err)
	}
	if _, err := c.MigrateRecords(ctx, live.Migration{Binding: bind("Lead", "LeadSource"), From: "Trade Show", To: "Web", BatchSize: 2}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.MigrateRecords(ctx, live.Migration{Binding: bind("Lead", "Interests__c"), From: "automation", To: ""}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.OrgLimits(ctx); err != nil {
		t.Fatal(err)
	}

	// Error answers carry Salesforce's error array.
	if _, err := c.GetCustomField(ctx, "00N000000000000AAA"); !errors.Is(err, live.ErrNotFound) {
		t.Fatalf("want not found, got %v", err)
	}
	var apiErr *live.APIError
	if _, err := c.Query(ctx, "SELECT Name FROM Lead ORDER BY Name"); !errors.As(err, &apiErr) || apiErr.Category != sfapi.CodeMalformedQuery || apiErr.Status != 400 {
		t.Fatalf("want 400 MALFORMED_QUERY, got %v", err)
	}
	if _, err := c.Query(ctx, "SELECT Nope FROM Lead"); !errors.As(err, &apiErr) || apiErr.Category != sfapi.CodeInvalidField {
		t.Fatalf("want INVALID_FIELD, got %v", err)
	}

	used := []string{
		"GET " + api + "/sobjects/",
		"GET " + api + "/query",
		"GET " + api + "/tooling/query",
		"GET " + api + "/tooling/sobjects/",
		"PATCH " + api + "/tooling/sobjects/",
		"POST " + api + "/tooling/sobjects/",
		"PATCH " + api + "/composite/sobjects",
		"GET " + api + "/limits",
	}
	for _, prefix := range used {
		if e.tr.total(prefix) == 0 {
			t.Errorf("no request to %s", prefix)
		}
	}
	for _, k := range e.tr.keys() {
		if !slices.ContainsFunc(used, func(p string) bool { return strings.HasPrefix(k, p) }) {
			t.Errorf("unexpected request %s", k)
		}
	}
	if u, ok := c.Usage(); !ok || u.Used == 0 || u.Max != 100000 {
		t.Errorf("usage %+v %v, want it read from Sforce-Limit-Info", u, ok)
	}
}
