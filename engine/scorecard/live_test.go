package scorecard

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
)

// liveSeed is a sandbox whose contacts.lead_source has the options
// webinar, trade_show and print_ad; of its 8 contacts, 3 hold webinar, 2
// trade_show, 1 print_ad and 2 nothing.
func liveSeed(t *testing.T) string {
	t.Helper()
	opt := func(v string, i int) map[string]any {
		return map[string]any{"value": v, "label": v, "description": "", "displayOrder": i, "hidden": false}
	}
	var records []map[string]any
	for i, v := range []string{"webinar", "webinar", "webinar", "trade_show", "trade_show", "print_ad", "", ""} {
		props := map[string]any{"email": "p" + string(rune('a'+i)) + "@example.com"}
		if v != "" {
			props["lead_source"] = v
		}
		records = append(records, map[string]any{"id": string(rune('1' + i)), "properties": props, "createdAt": "2026-01-01T09:00:00Z"})
	}
	seed := map[string]any{"version": 1, "objects": map[string]any{"contacts": map[string]any{
		"properties": []any{map[string]any{
			"name": "lead_source", "label": "Lead Source", "type": "enumeration", "fieldType": "select", "groupName": "contactinformation",
			"options": []any{opt("webinar", 0), opt("trade_show", 1), opt("print_ad", 2)},
		}},
		"records": records,
	}}}
	data, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestDataCompleteness counts, on the seeded sandbox, the records of the
// bound property by kind of value. lead-source declares webinar and event
// (active) and trade_show (deprecated). Of 8 records: active 3 (webinar;
// event has none) = 37.5%, deprecated 2 = 25%, undeclared 1 (print_ad) =
// 12.5%, empty 2 = 25%. Drift: print_ad is not declared and event is not a
// live option: 2. hubspot-prod has no token: a note, not a failure.
func TestDataCompleteness(t *testing.T) {
	r := gitrepotest.New(t)
	r.Write(map[string]string{
		"mops.yaml": `apiVersion: mops.dev/v1
kind: Project
metadata: {name: acme}
spec:
  systems:
    - {name: sandbox, type: sandbox, state: .mops/sandbox.json, seed: seed.json}
    - {name: hubspot-prod, type: hubspot, tokenEnv: HUBSPOT_TOKEN}
`,
		"seed.json": liveSeed(t),
		"lead-source.yaml": `apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: lead-source}
spec:
  label: Lead Source
  values:
    - {value: webinar, label: Webinar}
    - {value: event, label: Event}
    - {value: trade_show, label: Trade Show, deprecated: true, replacedBy: event}
  bindings:
    - {system: sandbox, object: contacts, property: lead_source}
    - {system: hubspot-prod, object: contacts, property: lead_source}
`,
	})
	r.CommitAt("governance", at("2026-03-02 09:00"))
	now := at("2026-03-06 12:00")
	rep, err := Compute(context.Background(), Options{Dir: r.Dir, Since: at("2026-03-02 00:00"), Until: at("2026-03-06 00:00"),
		Live: true, Getenv: func(string) string { return "" }, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Live == nil || len(rep.Live.Properties) != 1 {
		t.Fatalf("live report %+v; want one measured property", rep.Live)
	}
	p := rep.Live.Properties[0]
	got := []string{p.System + " " + p.Object + "." + p.Property, percent(p.ActivePct), percent(p.DeprecatedPct), percent(p.UndeclaredPct), percent(p.EmptyPct)}
	want := []string{"sandbox contacts.lead_source", "37.5%", "25%", "12.5%", "25%"}
	if diff := cmp.Diff(want, got); diff != "" || p.Records != 8 || rep.Live.Drift != 2 {
		t.Errorf("completeness (-want +got):\n%s records %d, drift %d %q", diff, p.Records, rep.Live.Drift, p.Drift)
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "hubspot-prod") || !strings.Contains(rep.Notes[0], "HUBSPOT_TOKEN is not set") {
		t.Errorf("notes %q; want one saying hubspot-prod is not reachable", rep.Notes)
	}
}
