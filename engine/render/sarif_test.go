package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/mops-dev/mops/engine/source"
)

// sarifSchema compiles the official SARIF 2.1.0 schema (a draft-04 JSON
// Schema) from testdata, without touching the network.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	data, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, errors.New("no network in tests: " + s)
	}
	if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
		t.Fatalf("add sarif schema: %v", err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile sarif schema: %v", err)
	}
	return s
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	schema := sarifSchema(t)
	cases := map[string]*source.Report{
		"fixture": fixtureReport(),
		"empty":   {Summary: source.Summary{Files: 3, Documents: 3}},
		"repository-level": {Findings: []source.Finding{
			{Rule: "project", Severity: source.Deny, Message: "no mops.yaml"},
		}},
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			for _, opts := range []Options{fixtureOptions(), {}} {
				out := render(t, SARIF, r, opts)
				var doc any
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatalf("sarif is not JSON: %v", err)
				}
				if err := schema.Validate(doc); err != nil {
					t.Fatalf("sarif does not validate against SARIF 2.1.0:\n%v\n%s", err, out)
				}
			}
		})
	}
}

// TestSARIFSchemaCatchesNull makes sure the schema test has teeth: the
// nulls go-sarif writes for unset suppression fields are rejected.
func TestSARIFSchemaCatchesNull(t *testing.T) {
	out := render(t, SARIF, fixtureReport(), fixtureOptions())
	broken := strings.Replace(string(out), `"kind": "external",`, `"kind": "external", "guid": null,`, 1)
	if broken == string(out) {
		t.Fatal("fixture has no suppression to break")
	}
	var doc any
	if err := json.Unmarshal([]byte(broken), &doc); err != nil {
		t.Fatal(err)
	}
	if err := sarifSchema(t).Validate(doc); err == nil {
		t.Fatal("a null suppression guid validated; the schema test would miss go-sarif's nulls")
	}
}

func TestSARIFContent(t *testing.T) {
	out := render(t, SARIF, fixtureReport(), fixtureOptions())
	log, err := sarif.FromBytes(out)
	if err != nil {
		t.Fatalf("read sarif back: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs; want 2.1.0 and one run", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "mops" || d.Version == nil || *d.Version != "1.2.3" || d.InformationURI == nil || *d.InformationURI == "" {
		t.Errorf("driver = %+v; want mops 1.2.3 with an informationUri", d)
	}
	var ids []string
	for _, rule := range d.Rules {
		ids = append(ids, rule.ID)
		if rule.ShortDescription == nil || rule.ShortDescription.Text == nil {
			t.Errorf("rule %s has no shortDescription", rule.ID)
		}
	}
	if diff := cmp.Diff([]string{"campaign.naming", "campaign.owner", "load", "taxonomy.deprecated"}, ids); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if got := *d.Rules[0].ShortDescription.Text; got != "Campaign names follow the campaign naming convention." {
		t.Errorf("shortDescription from Options.Rules = %q", got)
	}

	type row struct {
		Rule, Level, URI, Base string
		Line, Col              int
		HasRegion              bool
		Suppressions           int
		Justification          string
	}
	var got []row
	for _, res := range run.Results {
		if d.Rules[*res.RuleIndex].ID != *res.RuleID {
			t.Errorf("result %s: ruleIndex %d points at %s", *res.RuleID, *res.RuleIndex, d.Rules[*res.RuleIndex].ID)
		}
		pl := res.Locations[0].PhysicalLocation
		r := row{Rule: *res.RuleID, Level: *res.Level, URI: *pl.ArtifactLocation.URI, Base: *pl.ArtifactLocation.URIBaseId,
			HasRegion: pl.Region != nil, Suppressions: len(res.Suppressions)}
		if pl.Region != nil {
			r.Line, r.Col = *pl.Region.StartLine, *pl.Region.StartColumn
		}
		if len(res.Suppressions) > 0 {
			s := res.Suppressions[0]
			if s.Kind != "external" {
				t.Errorf("suppression kind %q, want external", s.Kind)
			}
			r.Justification = *s.Justification
		}
		got = append(got, r)
	}
	want := []row{
		{"campaign.naming", "error", "examples/acme/campaigns/fy27-q1.yaml", "%SRCROOT%", 4, 9, true, 0, ""},
		{"campaign.owner", "warning", "examples/acme/campaigns/fy27-q1.yaml", "%SRCROOT%", 6, 10, true, 0, ""},
		{"taxonomy.deprecated", "error", "examples/acme/campaigns/fy27-q2.yaml", "%SRCROOT%", 7, 15, true, 1,
			"the NA trade-show series ends in Q2; approved by @acme/mops-leads"},
		{"load", "error", "examples/acme/taxonomies/lead%20source.yaml", "%SRCROOT%", 0, 0, false, 0, ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// TestSARIFSuppressionsOnAllResults checks SARIF §3.27.23: suppressions is
// present on every result (empty when not waived), never on some only.
func TestSARIFSuppressionsOnAllResults(t *testing.T) {
	out := render(t, SARIF, fixtureReport(), Options{})
	var doc struct {
		Runs []struct {
			Results []map[string]json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for i, res := range doc.Runs[0].Results {
		if _, ok := res["suppressions"]; !ok {
			t.Errorf("result %d has no suppressions array", i)
		}
	}
	if bytes.Contains(out, []byte("null")) {
		t.Errorf("sarif contains null:\n%s", out)
	}
}

func TestSARIFOptional(t *testing.T) {
	r := &source.Report{Findings: []source.Finding{
		{Rule: "project", Severity: source.Warn, Message: "m"},
		{Rule: "x", Severity: source.Deny, Message: "m", File: "a b/#c?.yaml", Line: 3},
	}}
	log, err := sarif.FromBytes(render(t, SARIF, r, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Version != nil {
		t.Errorf("driver version %q without Options.Version", *run.Tool.Driver.Version)
	}
	if n := len(run.Results[0].Locations); n != 0 {
		t.Errorf("repository-level finding has %d locations, want none", n)
	}
	pl := run.Results[1].Locations[0].PhysicalLocation
	if got := *pl.ArtifactLocation.URI; got != "a%20b/%23c%3F.yaml" {
		t.Errorf("uri %q, want a%%20b/%%23c%%3F.yaml", got)
	}
	if pl.Region == nil || *pl.Region.StartLine != 3 || pl.Region.StartColumn != nil {
		t.Errorf("region %+v, want startLine 3 and no startColumn", pl.Region)
	}
}
