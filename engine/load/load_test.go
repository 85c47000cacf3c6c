package load

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mops-dev/mops/engine/model"
)

const project = "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: t\nspec:\n  exclude: [\"live/**\"]\n"

func TestLoadKeepsPositionsAndMultiDocuments(t *testing.T) {
	fsys := fstest.MapFS{
		"mops.yaml": {Data: []byte(project)},
		"taxonomies/all.yaml": {Data: []byte(`# two taxonomies in one file
apiVersion: mops.dev/v1
kind: Taxonomy
metadata:
  name: channel
spec:
  values:
    - value: email
      label: Email
---
apiVersion: mops.dev/v1
kind: Taxonomy
metadata:
  name: region
spec:
  values:
    - {value: emea, label: EMEA}
`)},
		"live/seed.yaml": {Data: []byte("not: [valid")},
		"notes.txt":      {Data: []byte("ignored")},
	}
	b, findings, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 0 {
		t.Fatalf("unexpected findings: %+v", findings)
	}
	if b.Files != 2 || len(b.Docs) != 2 || b.Project == nil {
		t.Fatalf("files=%d docs=%d project=%v; want 2 files (excluded live/ and .txt), 2 documents and the project", b.Files, len(b.Docs), b.Project != nil)
	}
	region := b.Get(model.Key{Kind: model.KindTaxonomy, Name: "region"})
	if region == nil || region.Index != 1 {
		t.Fatalf("region taxonomy not found as the second document of its file")
	}
	if p := region.PosOf("spec.values[0].label"); p.Line != 17 || p.Column != 28 {
		t.Errorf("spec.values[0].label at %d:%d, want 17:28", p.Line, p.Column)
	}
	if p := region.PosOf("/spec/values/0/value"); p.Line != 17 || p.Column != 15 {
		t.Errorf("JSON pointer /spec/values/0/value at %d:%d, want 17:15", p.Line, p.Column)
	}
	vals := region.Spec()["values"].([]any)
	if got := vals[0].(map[string]any)["label"]; got != "EMEA" {
		t.Errorf("value label = %v", got)
	}
}

func TestLoadValueTypes(t *testing.T) {
	fsys := fstest.MapFS{
		"mops.yaml": {Data: []byte(project)},
		"c.yaml": {Data: []byte(`apiVersion: mops.dev/v1
kind: Campaign
metadata: {name: c}
spec:
  launchDate: 2027-01-20
  budget: 1_000
  share: 0.5
  live: true
  notes: ~
  quoted: "42"
  base: &base {channel: email}
  merged:
    <<: *base
    region: emea
`)},
	}
	b, findings, err := Load(fsys, Options{})
	if err != nil || len(findings) != 0 {
		t.Fatalf("err=%v findings=%+v", err, findings)
	}
	spec := b.Docs[0].Spec()
	want := map[string]any{"launchDate": "2027-01-20", "budget": int64(1000), "share": 0.5, "live": true, "notes": nil, "quoted": "42"}
	for k, w := range want {
		if spec[k] != w {
			t.Errorf("spec.%s = %#v, want %#v", k, spec[k], w)
		}
	}
	merged := spec["merged"].(map[string]any)
	if merged["channel"] != "email" || merged["region"] != "emea" {
		t.Errorf("merge key not applied: %#v", merged)
	}
}

func TestLoadIncludeExcludeAndMissingProject(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte("apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: x}\nspec: {}\n")},
	}
	b, findings, err := Load(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 1 || !strings.Contains(findings[0].Message, "mops.yaml not found") {
		t.Fatalf("findings = %+v", findings)
	}
	if len(b.Docs) != 1 {
		t.Errorf("loading must go on without mops.yaml; docs = %d", len(b.Docs))
	}
}

func TestLoadOnlyFilter(t *testing.T) {
	fsys := fstest.MapFS{
		"mops.yaml": {Data: []byte(project)},
		"a.yaml":    {Data: []byte("apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: a}\nspec: {}\n")},
		"b.yaml":    {Data: []byte("apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: b}\nspec: {}\n")},
	}
	b, _, err := Load(fsys, Options{Only: func(f string) bool { return f == "b.yaml" }})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Docs) != 1 || b.Docs[0].Name != "b" {
		t.Fatalf("Only filter not applied: %d docs", len(b.Docs))
	}
}

func TestLeadingTabInsideBlockScalarIsContent(t *testing.T) {
	data := []byte("a: |\n  line one\n  \tindented with a tab after spaces\nb: 1\n")
	if line, _, ok := leadingTab(data); ok {
		t.Fatalf("reported a tab at line %d inside a block scalar", line)
	}
	if line, _, ok := leadingTab([]byte("a:\n\tb: 1\n")); !ok || line != 2 {
		t.Fatalf("missed a tab indentation at line 2")
	}
}

func TestLoadSkipsHiddenFolders(t *testing.T) {
	fsys := fstest.MapFS{
		"mops.yaml":                        {Data: []byte(project)},
		".github/workflows/governance.yml": {Data: []byte("name: governance\non: [pull_request]\n")},
		".mops/state.yaml":                 {Data: []byte("not: governance\n")},
		"sla.yaml":                         {Data: []byte("apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: a}\nspec: {}\n")},
	}
	b, findings, err := Load(fsys, Options{})
	if err != nil || len(findings) != 0 {
		t.Fatalf("err=%v findings=%+v; hidden folders must not be read", err, findings)
	}
	if b.Files != 2 {
		t.Errorf("files = %d, want 2 (mops.yaml and sla.yaml)", b.Files)
	}
}

func TestScanCampaigns(t *testing.T) {
	cases := []struct {
		name, data string
		names      []string
	}{
		{"block metadata with flow labels", "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: a-one\n  labels: {team: x}\nspec: {}\n---\nkind: Campaign\nmetadata:\n  description: \"quoted: ok\"\n  name: b-two # comment\nspec:\n  name: not-this\n", []string{"a-one", "b-two"}},
		{"flow metadata", "kind: Campaign\nmetadata: {name: a}\n", nil},
		{"another kind", "kind: Campaign\nmetadata:\n  name: a\n---\nkind: Taxonomy\nmetadata:\n  name: b\n", nil},
		{"merge in metadata", "kind: Campaign\nmetadata:\n  <<: *base\n  name: a\n", nil},
		{"quoted name", "kind: Campaign\nmetadata:\n  name: \"a\"\n", nil},
		{"no name", "kind: Campaign\nmetadata:\n  owner: x\n", nil},
	}
	for _, c := range cases {
		docs, ok := scanCampaigns("f.yaml", []byte(c.data))
		if ok != (c.names != nil) {
			t.Errorf("%s: ok = %v", c.name, ok)
			continue
		}
		for i, n := range c.names {
			if docs[i].Name != n {
				t.Errorf("%s: doc %d named %q, want %q", c.name, i, docs[i].Name, n)
			}
		}
	}
}

func TestLoadListedFilesOnly(t *testing.T) {
	fsys := fstest.MapFS{
		"mops.yaml":         {Data: []byte(project)},
		"taxonomies/a.yaml": {Data: []byte("apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata:\n  name: a\nspec:\n  values: []\n")},
		"taxonomies/b.yaml": {Data: []byte("apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata:\n  name: b\nspec:\n  values: []\n")},
	}
	for _, c := range []struct {
		files []string
		want  []string
	}{
		{[]string{"taxonomies/b.yaml", "taxonomies/gone.yaml"}, []string{"b"}},
		{[]string{}, nil},
	} {
		b, findings, err := Load(fsys, Options{Files: c.files})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range b.Docs {
			got = append(got, d.Name)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") || len(findings) != 0 || b.Project == nil {
			t.Errorf("Files %v: loaded %v with findings %v (project %v); want %v", c.files, got, findings, b.Project != nil, c.want)
		}
	}
}

// TestCampaignsOnly: a split load leaves for later only files that hold
// campaigns alone, recognised by their lines.
func TestCampaignsOnly(t *testing.T) {
	for _, c := range []struct {
		data string
		want bool
	}{
		{"apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: a\n", true},
		{"kind: Campaign # a comment\nmetadata: {name: \"quoted\"}\n", true},
		{"kind: Campaign\r\nmetadata:\r\n  name: a\r\n", true},
		{"# comments\n---\nkind: Campaign\n---\nkind: Campaign\n...\n", true},
		{"kind: Campaign\n---\nkind: Taxonomy\n", false},
		{"kind: Campaign\nkind: Campaign\n", false},
		{"metadata:\n  kind: Campaign\n", false},
		{"{kind: Campaign, metadata: {name: a}}\n", false},
		{"kind: \"Campaign\"\n", false},
		{"- kind: Campaign\n", false},
		{"# nothing but a comment\n", false},
		{"", false},
	} {
		if got := campaignsOnly([]byte(c.data)); got != c.want {
			t.Errorf("campaignsOnly(%q) = %v, want %v", c.data, got, c.want)
		}
	}
}
