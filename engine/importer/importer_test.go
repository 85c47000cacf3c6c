package importer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/mops-dev/mops/engine/importer"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
)

// fakeLive is a live.Provider over fixed properties and record counts.
type fakeLive struct {
	props  map[live.Binding]*live.Property
	counts map[string]int
}

func (f *fakeLive) Read(_ context.Context, req live.ReadRequest) (*live.Snapshot, error) {
	s := &live.Snapshot{Properties: map[live.Binding]*live.Property{}}
	for _, b := range req.Bindings {
		if p, ok := f.props[b]; ok {
			s.Properties[b] = p
		} else {
			s.Missing = append(s.Missing, b)
		}
	}
	return s, nil
}

func (f *fakeLive) CountRecords(_ context.Context, _ live.Binding, values []string) (map[string]int, error) {
	out := map[string]int{}
	for _, v := range values {
		out[v] = f.counts[v]
	}
	return out, nil
}

func (f *fakeLive) Coverage(context.Context, live.Binding, []string) (live.Coverage, error) {
	return live.Coverage{}, nil
}

func (f *fakeLive) Apply(context.Context, live.Change) (*live.ApplyResult, error) {
	return nil, live.ErrUnsupported
}

func (f *fakeLive) Capabilities() live.Capabilities {
	return live.Capabilities{DeletesOptions: true, SubscriptionTypes: true}
}

func (f *fakeLive) MigrateRecords(context.Context, live.Migration, func(live.BatchResult) error) (live.MigrationResult, error) {
	return live.MigrationResult{}, live.ErrUnsupported
}

func (f *fakeLive) ListEnumerations(_ context.Context, object string) ([]string, error) {
	var out []string
	for b := range f.props {
		if b.Object == object {
			out = append(out, b.Property)
		}
	}
	if object == "nope" {
		return nil, errors.New("unknown object")
	}
	return out, nil
}

var day = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func prop(object, name, label string, opts ...live.Option) *live.Property {
	for i := range opts {
		if opts[i].DisplayOrder == 0 && i > 0 {
			opts[i].DisplayOrder = i
		}
	}
	return &live.Property{Binding: live.Binding{System: "crm", Object: object, Property: name}, Label: label, Type: "enumeration", Options: opts}
}

func opt(value, label string) live.Option { return live.Option{Value: value, Label: label} }

func newFake(props ...*live.Property) *fakeLive {
	f := &fakeLive{props: map[live.Binding]*live.Property{}, counts: map[string]int{}}
	for _, p := range props {
		f.props[p.Binding] = p
	}
	return f
}

func importAll(t *testing.T, f *fakeLive, req importer.Request) *importer.Result {
	t.Helper()
	req.System, req.Provider, req.Now = "crm", f, day
	res, err := importer.Import(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func file(t *testing.T, res *importer.Result, path string) importer.File {
	t.Helper()
	for _, f := range res.Files {
		if f.Path == path {
			return f
		}
	}
	var paths []string
	for _, f := range res.Files {
		paths = append(paths, f.Path)
	}
	t.Fatalf("no %s among %v (skipped %v)", path, paths, res.Skipped)
	return importer.File{}
}

func TestTaxonomyFile(t *testing.T) {
	f := newFake(prop("contacts", "lead_source", "Lead Source",
		live.Option{Value: "web", Label: "Website", Description: "Forms on acme.example"},
		opt("yes", "Yes"), opt("paid_search", "Paid Search")))
	res := importAll(t, f, importer.Request{})
	got := string(file(t, res, "taxonomies/contacts-lead-source.yaml").Data)
	want := `# Imported from crm on 2026-11-27 by mops import (crm:contacts.lead_source).
apiVersion: mops.dev/v1
kind: Taxonomy
metadata:
  name: contacts-lead-source
spec:
  label: Lead Source
  valueCase: snake_case
  values:
    - value: web
      label: Website
      description: Forms on acme.example
    - value: "yes"
      label: "Yes"
    - value: paid_search
      label: Paid Search
  bindings:
    - system: crm
      object: contacts
      property: lead_source
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestValueCase(t *testing.T) {
	for want, values := range map[string][]string{
		"snake_case": {"a", "paid_search", "x1"},
		"kebab-case": {"paid-search", "a"},
		"lower":      {"paid search", "a_b-c"},
		"upper":      {"EMEA", "NA_1"},
		"any":        {"Paid", "paid"},
	} {
		if got := importer.ValueCase(values); got != want {
			t.Errorf("ValueCase(%v) = %s, want %s", values, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	long := strings.Repeat("x", 80)
	for in, want := range map[string]string{
		"contacts-lead_source": "contacts-lead-source",
		"p_0-hs__Custom":       "p-0-hs-custom",
		"___":                  "imported",
	} {
		if got := importer.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := importer.Slug("contacts-" + long); len(got) != 63 || got == importer.Slug("contacts-"+long+"y") {
		t.Errorf("long slug %q (%d) is not 63 characters, or not unique", got, len(got))
	}
}

// TestHiddenOptions: a hidden option is written deprecated when the source
// repository names its replacement, and otherwise left out, listed at the
// top of the file with the records holding it.
func TestHiddenOptions(t *testing.T) {
	hidden := func(value, label string) live.Option {
		o := opt(value, label)
		o.Hidden = true
		o.DisplayOrder = 90
		return o
	}
	f := newFake(prop("contacts", "lead_source", "Lead Source",
		opt("event", "Event"), opt("web", "Web"), hidden("trade_show", "Trade Show"), hidden("fax", "Fax")))
	f.counts["fax"] = 3
	src := bundle(t, map[string]string{"lead-source.yaml": `apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: lead-source}
spec:
  label: Lead Source
  values:
    - {value: event, label: Event}
    - {value: trade_show, label: Trade Show, deprecated: true, replacedBy: event}
    - {value: fax, label: Fax, deprecated: true, replacedBy: telex}
  bindings:
    - {system: crm, object: contacts, property: lead_source}
`})
	res := importAll(t, f, importer.Request{Source: src})
	got := file(t, res, "taxonomies/contacts-lead-source.yaml")
	if got.Values != 2 || got.Deprecated != 1 || len(got.Hidden) != 1 || got.Hidden[0] != (importer.HiddenOption{Value: "fax", Label: "Fax", Records: 3}) {
		t.Errorf("file = %+v", got)
	}
	text := string(got.Data)
	for _, want := range []string{
		"#   - fax (\"Fax\"): 3 record(s) hold it\n",
		"mops plan will propose removing these options",
		"    - value: trade_show\n      label: Trade Show\n      deprecated: true\n      replacedBy: event\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("file lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "value: fax") {
		t.Errorf("fax (replacement telex is not an active value) was declared:\n%s", text)
	}
}

func TestLifecycleFile(t *testing.T) {
	f := newFake(
		prop("contacts", "lifecyclestage", "Lifecycle Stage", live.Option{Value: "lead", Label: "Lead", Description: "Filled in a form"}, opt("customer", "Customer")),
		prop("companies", "lifecyclestage", "Lifecycle Stage", opt("target", "Target"), opt("Customer", "Customer")),
		prop("deals", "lifecyclestage", "Stage", opt("a", "A"), opt("b", "B")),
	)
	res := importAll(t, f, importer.Request{Objects: []string{"contacts", "companies", "deals"}})
	got := string(file(t, res, "lifecycle/contacts-lifecycle.yaml").Data)
	want := `# Imported from crm on 2026-11-27 by mops import (crm:contacts.lifecyclestage).
apiVersion: mops.dev/v1
kind: LifecycleModel
metadata:
  name: contacts-lifecycle
spec:
  object: contact
  stages:
    - id: lead
      label: Lead
      entryCriteria: Filled in a form
    - id: customer
      label: Customer
      terminal: true
  bindings:
    - system: crm
      object: contacts
      property: lifecyclestage
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// An invalid stage id, or an object without a lifecycle model: a Taxonomy.
	companies := file(t, res, "taxonomies/companies-lifecyclestage.yaml")
	if companies.Kind != model.KindTaxonomy || companies.ValueCase != "any" || !strings.Contains(strings.Join(companies.Notes, " "), `stage "Customer" is not a valid stage id`) {
		t.Errorf("companies = %+v", companies)
	}
	file(t, res, "taxonomies/deals-lifecyclestage.yaml")
}

func TestSkipped(t *testing.T) {
	ro := prop("contacts", "hs_owner", "Owner", opt("1", "Ann"))
	ro.ReadOnlyOptions = true
	allHidden := prop("contacts", "old", "Old", opt("x", "X"))
	allHidden.Options[0].Hidden = true
	text := prop("contacts", "email", "Email")
	text.Type = "string"
	f := newFake(ro, allHidden, text, prop("contacts", "region", "Region", opt("emea", "EMEA")))
	existing := bundle(t, map[string]string{"regions.yaml": `apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: region}
spec:
  label: Region
  values: [{value: emea, label: EMEA}]
  bindings: [{system: crm, object: contacts, property: region}]
`})
	res := importAll(t, f, importer.Request{Existing: existing})
	if len(res.Files) != 0 {
		t.Errorf("files = %+v", res.Files)
	}
	reasons := map[string]string{}
	for _, s := range res.Skipped {
		reasons[s.Binding.Property] = s.Reason
	}
	for p, want := range map[string]string{
		"hs_owner": "read-only", "old": "no visible options", "email": "not an enumeration (type string)",
		"region": "already bound by Taxonomy region (regions.yaml)",
	} {
		if !strings.Contains(reasons[p], want) {
			t.Errorf("%s skipped for %q, want %q", p, reasons[p], want)
		}
	}
}

func TestBoundOnly(t *testing.T) {
	f := newFake(prop("contacts", "region", "Region", opt("emea", "EMEA")), prop("contacts", "other", "Other", opt("a", "A")))
	src := bundle(t, map[string]string{"r.yaml": `apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: region}
spec:
  label: Region
  values: [{value: emea, label: EMEA}]
  bindings:
    - {system: crm, object: contacts, property: region}
    - {system: crm, object: contacts, property: gone}
    - {system: other, object: contacts, property: other}
`})
	res := importAll(t, f, importer.Request{Source: src, BoundOnly: true})
	if len(res.Files) != 1 || res.Files[0].Path != "taxonomies/contacts-region.yaml" {
		t.Errorf("files = %+v", res.Files)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Binding.Property != "gone" {
		t.Errorf("skipped = %+v", res.Skipped)
	}
}

func TestNotesForLabelsAndOrder(t *testing.T) {
	p := prop("contacts", "x", "X", live.Option{Value: "b", DisplayOrder: 5}, live.Option{Value: "a", Label: "A", DisplayOrder: -1})
	res := importAll(t, newFake(p), importer.Request{})
	f := file(t, res, "taxonomies/contacts-x.yaml")
	notes := strings.Join(f.Notes, "\n")
	if !strings.Contains(notes, `option "b" has no label in live`) || !strings.Contains(notes, "mops plan will renumber them") {
		t.Errorf("notes = %s", notes)
	}
	if !strings.Contains(string(f.Data), "    - value: b\n      label: b\n    - value: a\n") {
		t.Errorf("values not in display order (-1 last):\n%s", f.Data)
	}
}

func TestDeterministic(t *testing.T) {
	f := newFake(prop("contacts", "b", "B", opt("x", "X")), prop("contacts", "a", "A", opt("y", "Y")), prop("companies", "c", "C", opt("z", "Z")))
	first := importAll(t, f, importer.Request{})
	for range 5 {
		again := importAll(t, f, importer.Request{})
		if len(again.Files) != len(first.Files) {
			t.Fatal("file count changed")
		}
		for i := range again.Files {
			if again.Files[i].Path != first.Files[i].Path || string(again.Files[i].Data) != string(first.Files[i].Data) {
				t.Fatalf("run differs at %s", again.Files[i].Path)
			}
		}
	}
	var paths []string
	for _, f := range first.Files {
		paths = append(paths, f.Path)
	}
	if got := strings.Join(paths, " "); got != "taxonomies/contacts-a.yaml taxonomies/contacts-b.yaml taxonomies/companies-c.yaml" {
		t.Errorf("order = %s", got)
	}
}

func TestOwnSandboxAndProjectFile(t *testing.T) {
	sys := model.System{Name: "sandbox", Type: "sandbox", State: ".mops/sandbox.json", Seed: "live/seed.json"}
	got, seed := importer.OwnSandbox(sys, []byte(`{"version":1}`))
	// Paths stay inside the new repository: never ../src/..., which mops
	// would refuse to read or write.
	if got.State != ".mops/sandbox.json" || got.Seed != "live/sandbox-seed.json" {
		t.Errorf("own sandbox = %+v", got)
	}
	if seed == nil || seed.Path != got.Seed || string(seed.Data) != `{"version":1}` {
		t.Errorf("seed file = %+v, want the state at %s", seed, got.Seed)
	}
	hs := model.System{Name: "hubspot-prod", Type: "hubspot", BaseURL: "https://api.hubapi.com", TokenEnv: "HUBSPOT_TOKEN"}
	if same, file := importer.OwnSandbox(hs, nil); same != hs || file != nil {
		t.Errorf("hubspot changed: %+v, %+v", same, file)
	}
	data, err := importer.ProjectFile("My Repo", hs, day)
	if err != nil {
		t.Fatal(err)
	}
	want := `# Imported from hubspot-prod on 2026-11-27 by mops import.
# A minimal Project: add RACI, conventions, SLAs, consent policies and
# campaigns as the repository grows (see mops schema Project).
apiVersion: mops.dev/v1
kind: Project
metadata:
  name: my-repo
spec:
  defaultSystem: hubspot-prod
  systems:
    - name: hubspot-prod
      type: hubspot
      baseURL: https://api.hubapi.com
      tokenEnv: HUBSPOT_TOKEN
`
	if string(data) != want {
		t.Errorf("got:\n%s\nwant:\n%s", data, want)
	}
}

func TestWriteKeepsExistingFiles(t *testing.T) {
	dir := t.TempDir()
	files := []importer.File{{Path: "taxonomies/a.yaml", Data: []byte("new\n")}}
	if err := os.MkdirAll(filepath.Join(dir, "taxonomies"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "taxonomies", "a.yaml")
	if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := importer.Write(dir, files, false)
	if err != nil || out[0].Status != importer.Kept {
		t.Fatalf("write = %+v, %v", out, err)
	}
	if data, _ := os.ReadFile(path); string(data) != "mine\n" {
		t.Fatalf("overwritten without force: %q", data)
	}
	if out, err = importer.Write(dir, files, true); err != nil || out[0].Status != importer.Written {
		t.Fatalf("forced write = %+v, %v", out, err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new\n" {
		t.Fatalf("not replaced with force: %q", data)
	}
}

// TestOutputParses: every generated file loads as the document it claims
// to be.
func TestOutputParses(t *testing.T) {
	f := newFake(prop("contacts", "x", "X", opt("on", "On"), opt("a: b", "A: B"), live.Option{Value: "c", Label: "C", Description: "two\nlines"}))
	res := importAll(t, f, importer.Request{})
	var doc struct {
		Kind string
		Spec struct {
			Values []struct{ Value, Label, Description string }
		}
	}
	if err := yaml.Unmarshal(res.Files[0].Data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Kind != "Taxonomy" || doc.Spec.Values[0].Value != "on" || doc.Spec.Values[1].Value != "a: b" || doc.Spec.Values[2].Description != "two\nlines" {
		t.Errorf("decoded %+v from\n%s", doc, res.Files[0].Data)
	}
}

// bundle loads a repository made of files (a Project is added).
func bundle(t *testing.T, files map[string]string) *model.Bundle {
	t.Helper()
	dir := t.TempDir()
	files["mops.yaml"] = "apiVersion: mops.dev/v1\nkind: Project\nmetadata: {name: t}\nspec:\n  systems: [{name: crm, type: sandbox, state: s.json}]\n"
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, _, err := load.Load(os.DirFS(dir), load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestListError(t *testing.T) {
	f := newFake(prop("contacts", "x", "X", opt("a", "A")))
	_, err := importer.Import(context.Background(), importer.Request{System: "crm", Provider: f, Objects: []string{"contacts", "nope"}, Now: day})
	if err == nil || !strings.Contains(err.Error(), "list crm properties of nope: unknown object") {
		t.Fatalf("err = %v", err)
	}
	if _, err := importer.Import(context.Background(), importer.Request{System: "crm", Provider: struct{ live.Provider }{f}, Now: day}); err == nil || !strings.Contains(err.Error(), "--bound-only") {
		t.Fatalf("without a lister: err = %v", err)
	}
}
