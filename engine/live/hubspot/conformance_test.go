package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

// TestRequestsConformToOpenAPI runs every client operation, and the error
// answers the sandbox gives, through a transport that validates each
// request and each answer against HubSpot's OpenAPI files, in the v3
// family and in the date-based version mops calls by default.
func TestRequestsConformToOpenAPI(t *testing.T) {
	for _, version := range []string{hsapi.VersionV3, hsapi.DefaultVersion} {
		t.Run(version, func(t *testing.T) { conformsToOpenAPI(t, version) })
	}
}

func conformsToOpenAPI(t *testing.T, version string) {
	e := newEnv(t, nil, hubspot.WithAPIVersion(version))
	ctx := context.Background()
	c := e.client

	snap, err := c.Read(ctx, live.ReadRequest{
		Bindings:          []live.Binding{bind("contacts", "lead_source"), bind("contacts", "interests"), bind("companies", "region"), bind("contacts", "nope")},
		SubscriptionTypes: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CountRecords(ctx, bind("contacts", "lead_source"), []string{"trade_show", "webinar"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CountRecords(ctx, bind("contacts", "interests"), []string{"crm"}); err != nil {
		t.Fatal(err)
	}
	region := snap.Properties[bind("companies", "region")]
	opts := append(append([]live.Option(nil), region.Options...), live.Option{Value: "anz", Label: "ANZ", DisplayOrder: 4})
	if _, err := c.Apply(ctx, live.Change{Binding: bind("companies", "region"), Action: live.ActionSetOptions, Options: opts}); err != nil {
		t.Fatal(err)
	}
	create := live.Change{Binding: bind("contacts", "persona"), Action: live.ActionCreateProperty, Label: "Persona",
		Options: []live.Option{{Value: "buyer", Label: "Buyer"}, {Value: "user", Label: "User", DisplayOrder: 1}}}
	if _, err := c.Apply(ctx, create); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Apply(ctx, create); err != nil { // 409, then a re-read
		t.Fatal(err)
	}
	if _, err := c.MigrateRecords(ctx, live.Migration{Binding: bind("contacts", "lead_source"), From: "trade_show", To: "event", BatchSize: 2}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.MigrateRecords(ctx, live.Migration{Binding: bind("contacts", "interests"), From: "automation", To: ""}, nil); err != nil {
		t.Fatal(err)
	}

	// Error answers must have HubSpot's shapes too.
	if _, err := c.GetProperty(ctx, "contacts", "does_not_exist"); !errors.Is(err, live.ErrNotFound) {
		t.Fatalf("want not found, got %v", err)
	}
	if _, err := c.ListProperties(ctx, "spaceships"); !errors.Is(err, live.ErrNotFound) {
		t.Fatalf("want not found, got %v", err)
	}
	dup := []hsapi.Option{{Label: "A", Value: "a"}, {Label: "A again", Value: "a"}}
	if _, err := c.UpdateOptions(ctx, "contacts", "region", dup); !isStatus(err, http.StatusBadRequest) {
		t.Fatalf("want 400, got %v", err)
	}
	if _, err := c.BatchUpdate(ctx, "contacts", []hsapi.BatchInput{{ID: "101", Properties: map[string]string{"region": "mars"}}}); !isStatus(err, http.StatusBadRequest) {
		t.Fatalf("want 400, got %v", err)
	}
	resp, err := c.BatchUpdate(ctx, "contacts", []hsapi.BatchInput{{ID: "101", Properties: map[string]string{"region": "na"}}, {ID: "999999", Properties: map[string]string{"region": "na"}}})
	if err != nil || resp.NumErrors != 1 {
		t.Fatalf("want a 207 with one error, got %+v, %v", resp, err)
	}
	e.sb.SetFaults(sandbox.Faults{RateLimitBurst: 1})
	if _, err := c.SubscriptionDefinitions(ctx); err != nil {
		t.Fatal(err)
	}

	paths := hsapi.PathsOf(version)
	op := func(id, method, format string, names ...any) string {
		return id + " " + method + " " + fmt.Sprintf(format, names...)
	}
	want := []string{
		op("GetAll", "GET", paths.Properties, "{objectType}"),
		op("GetByName", "GET", paths.Property, "{objectType}", "{propertyName}"),
		op("Update", "PATCH", paths.Property, "{objectType}", "{propertyName}"),
		op("Create", "POST", paths.Properties, "{objectType}"),
		op("Search", "POST", paths.Search, "{objectType}"),
		op("BatchUpdate", "POST", paths.BatchUpdate, "{objectType}"),
		"GetPage GET " + paths.SubscriptionDefs,
	}
	ops := e.tr.operations()
	for _, op := range want {
		if ops[op] == 0 {
			t.Errorf("operation %s was not exercised; saw %v", op, ops)
		}
	}
	if len(ops) != len(want) {
		t.Errorf("client used operations beyond the expected set: %v", ops)
	}
	for _, status := range []int{200, 201, 207, 400, 404, 409, 429} {
		if e.tr.statuses[status] == 0 {
			t.Errorf("no %d answer was validated (statuses %v)", status, e.tr.statuses)
		}
	}
}

func isStatus(err error, status int) bool {
	var e *live.APIError
	return errors.As(err, &e) && e.Status == status
}

// recorder captures the checking transport's complaints.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestCheckingTransportCatchesBadRequests shows the validator is not
// vacuous: malformed requests are reported.
func TestCheckingTransportCatchesBadRequests(t *testing.T) {
	sb := sandboxFromSeed(t)
	base, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stop() }()
	rec := &recorder{TB: t}
	tr := newCheckingTransport(rec)
	hc := &http.Client{Transport: tr}
	send := func(method, path, body string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer x")
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	send("POST", "/crm/v3/objects/contacts/search", `{"limit":1}`)                                 // required fields missing
	send("PATCH", "/crm/v3/properties/contacts/region", `{"options":[{"label":"A","value":"a"}]}`) // hidden missing
	send("GET", "/crm/v3/unknown/thing", ``)                                                       // no such operation
	if len(rec.errs) != 3 {
		t.Fatalf("want 3 complaints, got %d: %q", len(rec.errs), rec.errs)
	}
}
