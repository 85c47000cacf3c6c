package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/source"
)

// run executes mops in-process and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{
		Stdout: &out, Stderr: &errOut,
		Getenv:     func(string) string { return "" },
		Now:        func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) },
		IsTerminal: func(io.Writer) bool { return false },
	}
	code := Run(context.Background(), args, env)
	return out.String(), errOut.String(), code
}

func findings(t *testing.T, stdout string) source.Report {
	t.Helper()
	var r source.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("output is not the JSON report: %v\n%s", err, stdout)
	}
	return r
}

func TestValidateExampleIsClean(t *testing.T) {
	stdout, stderr, code := run(t, "validate", "--dir", "../../examples/acme")
	if code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "clean") {
		t.Errorf("text output does not say the repository is clean:\n%s", stdout)
	}
}

// TestBrokenFixtures runs every broken repository under testdata/broken and
// checks that validate exits 1 with a load finding at the right place.
func TestBrokenFixtures(t *testing.T) {
	cases := []struct {
		dir        string
		file       string
		line, col  int
		rule       string
		msgContain string
	}{
		{"invalid-yaml", "channel.yaml", 9, 14, "load", "invalid YAML"},
		{"duplicate-key", "channel.yaml", 10, 7, "load", `duplicate key "value": already defined at line 8`},
		{"tab-indent", "channel.yaml", 4, 1, "load", "tab character used for indentation"},
		{"non-utf8", "channel.yaml", 6, 13, "load", "not valid UTF-8"},
		{"too-large", "channel.yaml", 0, 0, "load", "larger than the 100-byte limit"},
		{"billion-laughs", "lol.yaml", 0, 0, "load", "aliases expand this document"},
		{"unknown-apiversion", "channel.yaml", 1, 13, "load", `unknown apiVersion "mops.dev/v2"; supported: mops.dev/v1`},
		{"unknown-kind", "channel.yaml", 2, 7, "load", `unknown kind "Taxonomies"; supported kinds: Project, Taxonomy`},
		{"duplicate-name", "b.yaml", 5, 9, "load", `duplicate Taxonomy "channel": already defined at a.yaml:4:9`},
		{"missing-project", "mops.yaml", 0, 0, "load", "mops.yaml not found"},
		{"second-project", "nested/mops.yaml", 1, 1, "load", "a second mops.yaml"},
		{"project-elsewhere", "more.yaml", 12, 7, "load", "a Project document belongs only in mops.yaml"},
		{"not-a-mapping", "list.yaml", 1, 1, "load", "expected a mapping"},
		{"schema-unknown-field", "channel.yaml", 7, 3, "schema", `spec.valus is not a known field; did you mean "values"?`},
		{"schema-missing-label", "channel.yaml", 10, 7, "schema", "spec.values[1].label is required"},
		{"schema-bad-enum", "channel.yaml", 7, 14, "schema", "spec.valueCase must be one of 'snake_case'"},
		{"schema-bad-date", "sla.yaml", 7, 11, "schema", "spec.target '10 days'"},
		{"schema-bad-name", "channel.yaml", 4, 9, "schema", "metadata.name 'Lead_Source'"},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			stdout, stderr, code := run(t, "validate", "--format", "json", "--dir", filepath.Join("testdata", "broken", c.dir))
			if code != 1 {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			r := findings(t, stdout)
			for _, f := range r.Findings {
				if f.File == c.file && f.Rule == c.rule && strings.Contains(f.Message, c.msgContain) {
					if c.line != 0 && (f.Line != c.line || f.Column != c.col) {
						t.Errorf("finding at %d:%d, want %d:%d: %s", f.Line, f.Column, c.line, c.col, f.Message)
					}
					return
				}
			}
			t.Errorf("no %s finding in %s containing %q; got:\n%s", c.rule, c.file, c.msgContain, stdout)
		})
	}
}

func TestValidateUnknownFormatExits2(t *testing.T) {
	_, stderr, code := run(t, "validate", "--format", "yaml", "--dir", "../../examples/acme")
	if code != 2 || !strings.Contains(stderr, `unknown format "yaml"`) {
		t.Fatalf("exit %d, stderr %q; want 2 and a message naming the format", code, stderr)
	}
}

func TestValidateMissingDirExits2(t *testing.T) {
	_, stderr, code := run(t, "validate", "--dir", "testdata/does-not-exist")
	if code != 2 || !strings.Contains(stderr, "is not a folder") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
