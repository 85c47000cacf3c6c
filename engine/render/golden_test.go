package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/source"
)

// update rewrites the golden files: go test ./engine/render/ -update.
// Review every rewritten file before committing it.
var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// goldenExt is the file extension of each format's golden file.
func goldenExt(f Format) string {
	switch f {
	case Text, GitHub:
		return "txt"
	case JSON:
		return "json"
	case SARIF:
		return "sarif"
	case JUnit:
		return "xml"
	case Markdown:
		return "md"
	}
	return string(f)
}

// fixtureSource is campaigns/fy27-q1.yaml, so that text shows source lines.
const fixtureSource = `apiVersion: mops.dev/v1
kind: Campaign
metadata:
  name: FY27 Q1|EMEA
spec:
  owner: "@acme/demand-gen"
`

// fixtureReport is the one report every golden file renders: a deny with a
// message holding |, : and ,, a newline, < and %; a warn naming a RACI team;
// a waived deny; and a load error without a line in a file whose name has a
// space. Findings are sorted, as validate.Run leaves them.
func fixtureReport() *source.Report {
	fs := []source.Finding{
		{
			Rule: "campaign.naming", Severity: source.Deny,
			Message: "name 'FY27 Q1|EMEA' does not match <fy{yy}-{quarter}-{region}-{slug}>: use lower case, digits, hyphens\n" +
				"for example fy27-q1-emea-spring-launch (100% of other campaigns do)",
			File: "campaigns/fy27-q1.yaml", Line: 4, Column: 9,
			Kind: "Campaign", Name: "FY27 Q1|EMEA", Path: "metadata.name",
		},
		{
			Rule: "campaign.owner", Severity: source.Warn,
			Message: "owner '@acme/demand-gen' is responsible, not accountable, for campaigns",
			File:    "campaigns/fy27-q1.yaml", Line: 6, Column: 10,
			Kind: "Campaign", Name: "FY27 Q1|EMEA", Path: "spec.owner",
		},
		{
			Rule: "taxonomy.deprecated", Severity: source.Deny,
			Message: "lead source 'trade_show' is deprecated in taxonomy lead-source; use 'event' (its replacedBy)",
			File:    "campaigns/fy27-q2.yaml", Line: 7, Column: 15,
			Kind: "Campaign", Name: "fy27-q2-na-trade-show", Path: "spec.leadSource",
			Waived: true, WaiverReason: "the NA trade-show series ends in Q2; approved by @acme/mops-leads",
		},
		{
			Rule: source.RuleLoad, Severity: source.Deny,
			Message: "read file: permission denied",
			File:    "taxonomies/lead source.yaml",
		},
	}
	source.Sort(fs)
	r := &source.Report{
		Findings: fs,
		Summary:  source.Summary{Files: 4, Documents: 6},
		Sources:  map[string][]byte{"campaigns/fy27-q1.yaml": []byte(fixtureSource)},
	}
	r.Summary.Count(fs)
	return r
}

// fixtureOptions are the options of the golden files.
func fixtureOptions() Options {
	return Options{
		Version:    "1.2.3",
		PathPrefix: "examples/acme",
		Rules:      map[string]string{"campaign.naming": "Campaign names follow the campaign naming convention."},
	}
}

// render writes r in format f and fails the test on error.
func render(t *testing.T, f Format, r *source.Report, opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, r, opts); err != nil {
		t.Fatalf("write %s: %v", f, err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	for _, name := range Formats() {
		f := Format(name)
		t.Run(name, func(t *testing.T) {
			got := render(t, f, fixtureReport(), fixtureOptions())
			// Rendering twice must give the same bytes (map order, etc.).
			if again := render(t, f, fixtureReport(), fixtureOptions()); !bytes.Equal(got, again) {
				t.Fatalf("%s output is not deterministic", f)
			}
			path := filepath.Join("testdata", "golden", name+"."+goldenExt(f))
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s output differs from %s (-want +got):\n%s", f, path, diff)
			}
		})
	}
}

func TestFormatsRegistered(t *testing.T) {
	want := []string{"github", "json", "junit", "markdown", "sarif", "text"}
	if diff := cmp.Diff(want, Formats()); diff != "" {
		t.Errorf("Formats() (-want +got):\n%s", diff)
	}
}

func TestRepoPath(t *testing.T) {
	cases := []struct{ prefix, file, want string }{
		{"", "a/b.yaml", "a/b.yaml"},
		{".", "a/b.yaml", "a/b.yaml"},
		{"./", "a/b.yaml", "a/b.yaml"},
		{"examples/acme", "a/b.yaml", "examples/acme/a/b.yaml"},
		{"examples/acme/", "a/b.yaml", "examples/acme/a/b.yaml"},
		{"./examples/acme", "a/b.yaml", "examples/acme/a/b.yaml"},
		{`examples\acme`, "a/b.yaml", "examples/acme/a/b.yaml"},
		{"examples/acme", "", ""},
	}
	for _, c := range cases {
		if got := repoPath(c.prefix, c.file); got != c.want {
			t.Errorf("repoPath(%q, %q) = %q, want %q", c.prefix, c.file, got, c.want)
		}
	}
}
