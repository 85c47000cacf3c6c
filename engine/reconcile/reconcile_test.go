package reconcile_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/livetest"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
)

const (
	acmeDir  = "../../examples/acme"
	acmeSeed = acmeDir + "/live/sandbox-seed.json"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// acmeFS is the example repository in memory, with edits applied to named
// files. Dot-folders are left out: .mops holds the state of whoever ran
// mops there, .github is CI configuration.
func acmeFS(t *testing.T, edits map[string]func(string) string) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	root := os.DirFS(acmeDir)
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(p, ".") && p != "." {
				return fs.SkipDir
			}
			return nil
		}
		data, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		out[p] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range edits {
		f, ok := out[name]
		if !ok {
			t.Fatalf("no file %s in %s", name, acmeDir)
		}
		old := string(f.Data)
		s := edit(old)
		if s == old {
			t.Fatalf("edit of %s changed nothing; fix the test", name)
		}
		out[name] = &fstest.MapFile{Data: []byte(s)}
	}
	return out
}

func bundle(t *testing.T, fsys fs.FS) *model.Bundle {
	t.Helper()
	b, findings, err := load.Load(fsys, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Blocking() {
			t.Fatalf("%s:%d: %s", f.File, f.Line, f.Message)
		}
	}
	return b
}

// seed is the example's sandbox seed, for a test to change.
func seed(t *testing.T) *sandbox.State {
	t.Helper()
	data, err := os.ReadFile(acmeSeed)
	if err != nil {
		t.Fatal(err)
	}
	var st sandbox.State
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	return &st
}

func property(t *testing.T, st *sandbox.State, object, name string) *hsapi.Property {
	t.Helper()
	for _, p := range st.Objects[object].Properties {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("seed has no %s.%s", object, name)
	return nil
}

// serve starts an in-memory sandbox holding st (no rate limits) and a
// HubSpot client of it, as mops uses it.
func serve(t *testing.T, st *sandbox.State) (*sandbox.Sandbox, *hubspot.Client) {
	t.Helper()
	sb, err := sandbox.FromState(st, sandbox.WithLimits(sandbox.Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	base, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	// Closing idle connections first lets stop return at once: the server
	// otherwise waits for connections the client dialled but never used.
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := hubspot.New(base, "test-token", hubspot.WithSystem("sandbox"), hubspot.WithLimits(hubspot.Limits{}),
		hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 1}), hubspot.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	return sb, c
}

// fake is the example's sandbox system as a fake provider, edited by edit
// (when not nil).
func fake(t *testing.T, edit func(t *testing.T, st *livetest.State)) *livetest.Provider {
	t.Helper()
	f := livetest.Acme(t)
	if edit != nil {
		f.Edit(func(st *livetest.State) { edit(t, st) })
	}
	return f
}

// liveProperty finds a property of the fake's state.
func liveProperty(t *testing.T, st *livetest.State, object, name string) *live.Property {
	t.Helper()
	for _, p := range st.Objects[object].Properties {
		if p.Property == name {
			return p
		}
	}
	t.Fatalf("no %s.%s", object, name)
	return nil
}

func makePlan(t *testing.T, b *model.Bundle, prov live.Provider) *plan.Plan {
	t.Helper()
	return makePlanWith(t, b, prov, reconcile.Options{})
}

// makePlanWith plans the sandbox system with opts (System, Now and
// MopsVersion set).
func makePlanWith(t *testing.T, b *model.Bundle, prov live.Provider, opts reconcile.Options) *plan.Plan {
	t.Helper()
	opts.System, opts.Now, opts.MopsVersion = "sandbox", now, "test"
	p, err := reconcile.Plan(context.Background(), b, prov, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// steps renders changes one line each: what a user reads in the plan.
func steps(p *plan.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		var what string
		switch {
		case c.Action == plan.MigrateRecords:
			what = c.From + "->" + c.To
		case c.Action == plan.Create && c.Value == "":
			what = fmt.Sprintf("property %q with %d options", c.Label, len(c.Options))
		case c.Action == plan.Update && c.Value == "":
			what = "order"
		default:
			what = c.Value
		}
		s := fmt.Sprintf("%d %s %s.%s %s records=%d", c.Seq, c.Action, c.Target.Object, c.Target.Property, what, c.Records)
		if c.Destructive {
			s += " destructive"
		}
		out = append(out, s)
	}
	return out
}

func problems(p *plan.Plan, sev plan.Severity) []string {
	var out []string
	for _, pr := range p.Problems {
		if pr.Severity == sev {
			out = append(out, pr.Message)
		}
	}
	return out
}

// acmeSteps is what the example seed needs: it lacks sales_prospecting,
// labels paid_social differently, has 12 records on the deprecated
// trade_show, and an undeclared print_ad nobody holds.
var acmeSteps = []string{
	"1 create contacts.lead_source sales_prospecting records=0",
	"2 update contacts.lead_source paid_social records=0",
	"3 migrate-records contacts.lead_source trade_show->event records=12 destructive",
	"4 hide contacts.lead_source trade_show records=0",
	"5 remove contacts.lead_source print_ad records=0 destructive",
}

func TestPlanExampleSeed(t *testing.T) {
	p := makePlan(t, bundle(t, acmeFS(t, nil)), fake(t, nil))
	if diff := cmp.Diff(acmeSteps, steps(p)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if len(p.Problems) != 0 {
		t.Errorf("problems: %+v", p.Problems)
	}
	relabel := p.Changes[1]
	if relabel.Before.Label != "Paid social (Meta/LinkedIn)" || relabel.After.Label != "Paid Social" {
		t.Errorf("relabel %q -> %q", relabel.Before.Label, relabel.After.Label)
	}
	if !p.Changes[3].After.Hidden || p.Changes[3].Before.Hidden {
		t.Errorf("hide does not go from shown to hidden: %+v", p.Changes[3])
	}
	for _, ch := range p.Changes {
		if ch.Source.Kind != "Taxonomy" || ch.Source.Name != "lead-source" || ch.Source.File != "taxonomies/lead-source.yaml" || ch.Source.Line == 0 {
			t.Errorf("change %d source %+v, want the lead-source binding", ch.Seq, ch.Source)
		}
	}
	// Every bound property read is fingerprinted, so apply can tell which moved.
	if len(p.Fingerprints) != 8 {
		t.Errorf("%d fingerprints, want the 8 sandbox bindings: %v", len(p.Fingerprints), p.Fingerprints)
	}
	for k, v := range p.Fingerprints {
		if !strings.HasPrefix(v, "sha256:") {
			t.Errorf("fingerprint of %s is %q", k, v)
		}
	}
	if p.CreatedAt != now || !slices.Equal(p.Systems, []string{"sandbox"}) || p.FormatVersion != plan.FormatVersion || !strings.HasPrefix(p.DesiredHash, "sha256:") {
		t.Errorf("plan header: created %v, systems %q, version %d, desired %q", p.CreatedAt, p.Systems, p.FormatVersion, p.DesiredHash)
	}
}

// TestPlanCases changes live (a fake holding the example's sandbox) or the
// repository one way each and checks what plan makes of it.
func TestPlanCases(t *testing.T) {
	keep := func(n int, includable bool) func(t *testing.T, st *livetest.State) {
		return func(t *testing.T, st *livetest.State) {
			for _, r := range st.Objects["contacts"].Records {
				if r.Values["lead_source"] == "trade_show" && n > 0 {
					r.Kept = true
					n--
				}
			}
			st.Coverage = live.Coverage{KeptWhat: "converted lead(s)", KeptWhy: "they refuse updates", Includable: includable}
		}
	}
	cases := []struct {
		name        string
		live        func(t *testing.T, st *livetest.State)
		repo        map[string]func(string) string
		includeKept bool
		steps       []string // nil: not checked
		errors      []string // substrings, one per expected error problem
		warns       []string // substrings, one per expected warning
	}{
		{
			name: "records a migration keeps",
			live: keep(2, false),
			steps: []string{
				acmeSteps[0], acmeSteps[1],
				"3 migrate-records contacts.lead_source trade_show->event records=10 destructive",
				acmeSteps[3], acmeSteps[4],
			},
			warns: []string{`sandbox:contacts.lead_source: 2 converted lead(s) hold "trade_show" and will keep it: they refuse updates (plan with --include-converted to move them too)`},
		},
		{
			name:        "records a migration keeps, included",
			live:        keep(2, true),
			includeKept: true,
			steps:       acmeSteps,
		},
		{
			name:        "records a migration keeps, not includable",
			live:        keep(2, false),
			includeKept: true,
			errors:      []string{"sandbox:contacts.lead_source: converted lead(s) cannot be included: they refuse updates"},
		},
		{
			name: "counts that miss records",
			live: func(t *testing.T, st *livetest.State) {
				st.Coverage = live.Coverage{Hidden: "counts cover only the records the user can see"}
			},
			steps: acmeSteps,
			warns: []string{"sandbox:contacts.lead_source: counts cover only the records the user can see"},
		},
		{
			name: "reorder",
			live: func(t *testing.T, st *livetest.State) {
				p := liveProperty(t, st, "contacts", "lead_source")
				p.Options[0].DisplayOrder, p.Options[1].DisplayOrder = 1, 0 // organic_search before website
			},
			steps: []string{
				"1 create contacts.lead_source sales_prospecting records=0",
				"2 update contacts.lead_source paid_social records=0",
				"3 update contacts.lead_source order records=0",
				"4 migrate-records contacts.lead_source trade_show->event records=12 destructive",
				"5 hide contacts.lead_source trade_show records=0",
				"6 remove contacts.lead_source print_ad records=0 destructive",
			},
		},
		{
			name: "reorder in the repository",
			repo: map[string]func(string) string{"lifecycle/company-lifecycle.yaml": func(s string) string {
				return swapStages(t, s, "target", "engaged")
			}},
			// Changes run by action, then by binding: companies before contacts.
			steps: []string{
				"1 create contacts.lead_source sales_prospecting records=0",
				"2 update companies.lifecyclestage order records=0",
				"3 update contacts.lead_source paid_social records=0",
				"4 migrate-records contacts.lead_source trade_show->event records=12 destructive",
				"5 hide contacts.lead_source trade_show records=0",
				"6 remove contacts.lead_source print_ad records=0 destructive",
			},
		},
		{
			name: "undeclared value held by records",
			live: func(t *testing.T, st *livetest.State) {
				n := 0
				for _, r := range st.Objects["contacts"].Records {
					if r.Values["lead_source"] == "website" && n < 3 {
						r.Values["lead_source"] = "print_ad"
						n++
					}
				}
			},
			steps: acmeSteps[:4],
			errors: []string{`cannot remove option "print_ad" of sandbox:contacts.lead_source: 3 record(s) hold it; ` +
				`declare it in Taxonomy lead-source with deprecated: true and replacedBy: <value> so mops migrates the records first`},
		},
		{
			name: "read-only options",
			live: func(t *testing.T, st *livetest.State) {
				liveProperty(t, st, "contacts", "lead_source").ReadOnlyOptions = true
			},
			steps:  []string{},
			errors: []string{"sandbox:contacts.lead_source has read-only options in sandbox (a vendor-defined property), so its 5 planned change(s) cannot be made"},
		},
		{
			name: "missing property",
			live: func(t *testing.T, st *livetest.State) {
				o := st.Objects["contacts"]
				o.Properties = slices.DeleteFunc(o.Properties, func(p *live.Property) bool { return p.Property == "lead_source" })
			},
			// 15 values, one deprecated: the property is created with the 14 active ones.
			steps: []string{`1 create contacts.lead_source property "Lead Source" with 14 options records=0`},
		},
		{
			name: "unknown object type",
			repo: map[string]func(string) string{"taxonomies/lead-source.yaml": func(s string) string {
				return strings.Replace(s, "system: sandbox\n      object: contacts", "system: sandbox\n      object: widgets", 1)
			}},
			steps:  []string{},
			errors: []string{`object type "widgets" does not exist in sandbox; fix the binding's object`},
		},
		{
			name: "subscription type missing",
			live: func(t *testing.T, st *livetest.State) {
				st.SubscriptionTypes = slices.DeleteFunc(st.SubscriptionTypes, func(s live.SubscriptionType) bool { return s.Name == "SMS Marketing" })
			},
			steps: acmeSteps,
			warns: []string{`subscription type "sms-marketing" named by ConsentPolicy north-america does not exist in sandbox`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := makePlanWith(t, bundle(t, acmeFS(t, c.repo)), fake(t, c.live), reconcile.Options{IncludeKept: c.includeKept})
			got := steps(p)
			if c.steps != nil {
				if got == nil {
					got = []string{}
				}
				if diff := cmp.Diff(c.steps, got); diff != "" {
					t.Errorf("steps (-want +got):\n%s", diff)
				}
			}
			check := func(sev plan.Severity, want []string) {
				have := problems(p, sev)
				if len(have) != len(want) {
					t.Errorf("%d %s problem(s), want %d: %q", len(have), sev, len(want), have)
					return
				}
				for i := range want {
					if !strings.Contains(have[i], want[i]) {
						t.Errorf("%s %q\ndoes not contain %q", sev, have[i], want[i])
					}
				}
			}
			check(plan.Error, c.errors)
			check(plan.Warning, c.warns)
			if p.HasErrors() != (len(c.errors) > 0) {
				t.Errorf("HasErrors = %v", p.HasErrors())
			}
		})
	}
}

// swapStages swaps two stage entries (id and label lines) of a lifecycle
// model.
func swapStages(t *testing.T, s, a, b string) string {
	t.Helper()
	block := func(id string) string {
		i := strings.Index(s, "    - id: "+id+"\n")
		if i < 0 {
			t.Fatalf("no stage %s", id)
		}
		j := strings.Index(s[i+1:], "    - id: ")
		k := strings.Index(s[i+1:], "\n  transitions:")
		if k >= 0 && (j < 0 || k < j) {
			j = k
		}
		return s[i : i+1+j]
	}
	ba, bb := block(a), block(b)
	s = strings.Replace(s, ba, "\x00", 1)
	s = strings.Replace(s, bb, ba, 1)
	return strings.Replace(s, "\x00", bb, 1)
}

// TestPlanRequests checks what planning costs in HubSpot API calls,
// through the real client and the emulator: one properties list per object
// type and one subscription-definitions call, plus one search per value
// about to go away.
func TestPlanRequests(t *testing.T) {
	list := "GET /crm/properties/{version}/{objectType}"
	defs := "GET /communication-preferences/{version}/definitions"
	search := "POST /crm/objects/{version}/{objectType}/search"
	cases := []struct {
		name string
		live func(t *testing.T, st *sandbox.State)
		want map[string]int
	}{
		{"nothing goes away", func(t *testing.T, st *sandbox.State) {
			p := property(t, st, "contacts", "lead_source")
			p.Options = slices.DeleteFunc(p.Options, func(o hsapi.Option) bool { return o.Value == "trade_show" || o.Value == "print_ad" })
			for _, r := range st.Objects["contacts"].Records {
				if r.Properties["lead_source"] == "trade_show" {
					r.Properties["lead_source"] = "event"
				}
			}
		}, map[string]int{list: 2, defs: 1}}, // contacts and companies
		{"example seed: trade_show and print_ad counted", nil, map[string]int{list: 2, defs: 1, search: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := seed(t)
			if c.live != nil {
				c.live(t, st)
			}
			sb, client := serve(t, st)
			b := bundle(t, acmeFS(t, nil))
			sb.ResetRequests()
			makePlan(t, b, client)
			if diff := cmp.Diff(c.want, sb.Requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDesiredHash(t *testing.T) {
	base := func(edits map[string]func(string) string) string {
		h, err := reconcile.DesiredHash(bundle(t, acmeFS(t, edits)))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h0 := base(nil)
	if h0 != base(nil) {
		t.Fatal("DesiredHash is not deterministic")
	}
	cases := []struct {
		name    string
		file    string
		edit    func(string) string
		changes bool
	}{
		{"taxonomy label", "taxonomies/lead-source.yaml", func(s string) string {
			return strings.Replace(s, "label: Webinar", "label: Webinars", 1)
		}, true},
		{"project freeze", "mops.yaml", func(s string) string {
			return strings.Replace(s, "2027-01-05T00:00:00Z", "2027-01-06T00:00:00Z", 1)
		}, true},
		{"comment only", "taxonomies/lead-source.yaml", func(s string) string { return "# reviewed\n" + s }, false},
		{"campaign", "campaigns/fy27-q2.yaml", func(s string) string { return strings.Replace(s, "description:", "description: Edited.", 1) }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := base(map[string]func(string) string{c.file: c.edit})
			if (h != h0) != c.changes {
				t.Errorf("hash changed = %v, want %v", h != h0, c.changes)
			}
		})
	}
}
