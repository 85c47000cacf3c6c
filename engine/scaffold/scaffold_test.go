package scaffold

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func files(t *testing.T, o Options) map[string]string {
	t.Helper()
	fs, err := Files(o)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fs {
		out[f.Path] = string(f.Data)
	}
	return out
}

// TestWorkflowIsTheExamples: init writes the example's workflow, which the
// workflow tests lint and run; a copy that drifted from it would not be.
func TestWorkflowIsTheExamples(t *testing.T) {
	want, err := os.ReadFile("../../examples/acme/.github/workflows/governance.yml")
	if err != nil {
		t.Fatal(err)
	}
	if got := files(t, Options{Name: "x"})[".github/workflows/governance.yml"]; got != string(want) {
		t.Error("templates/.github/workflows/governance.yml differs from examples/acme/.github/workflows/governance.yml; copy the example over it")
	}
}

// TestSettingsMapTheSchema: .vscode/settings.json points the YAML language
// server at the schema file init writes, for every governance file.
func TestSettingsMapTheSchema(t *testing.T) {
	fs := files(t, Options{Name: "x"})
	var settings struct {
		Schemas map[string][]string `json:"yaml.schemas"`
	}
	if err := json.Unmarshal([]byte(fs[".vscode/settings.json"]), &settings); err != nil {
		t.Fatal(err)
	}
	globs, ok := settings.Schemas[SchemaPath]
	if !ok || len(globs) == 0 || globs[0] != "**/*.yaml" {
		t.Errorf("yaml.schemas = %v, want %s mapped to **/*.yaml", settings.Schemas, SchemaPath)
	}
	if !strings.Contains(fs[SchemaPath], `"$defs"`) || strings.Contains(fs[SchemaPath], "https://mops.dev/schemas/v1/") {
		t.Error("the schema init writes is not the self-contained bundle")
	}
}

func TestNameIsASlug(t *testing.T) {
	if got := files(t, Options{Name: "Acme Governance!"})["mops.yaml"]; !strings.Contains(got, "\n  name: acme-governance\n") {
		t.Errorf("mops.yaml for the folder 'Acme Governance!':\n%s", got)
	}
}

func TestFromHubSpotLeavesTheSamplesOut(t *testing.T) {
	fs := files(t, Options{Name: "x", From: "hubspot", URL: "http://127.0.0.1:1"})
	for p := range fs {
		if strings.HasPrefix(p, "campaigns/") || strings.HasPrefix(p, "taxonomies/") {
			t.Errorf("--from hubspot writes the sample %s", p)
		}
	}
	m := fs["mops.yaml"]
	for _, want := range []string{"defaultSystem: hubspot-prod", "type: hubspot", "baseURL: http://127.0.0.1:1", "tokenEnv: HUBSPOT_TOKEN"} {
		if !strings.Contains(m, want) {
			t.Errorf("mops.yaml lacks %q:\n%s", want, m)
		}
	}
	if strings.Contains(m, "taxonomyRefs") {
		t.Errorf("mops.yaml names the sample taxonomies:\n%s", m)
	}
	if _, err := Files(Options{From: "marketo"}); err == nil || !strings.Contains(err.Error(), "supported: hubspot") {
		t.Errorf("from marketo: %v", err)
	}
}

func TestURLMustBeAURL(t *testing.T) {
	for _, bad := range []string{"api.hubapi.com", "ftp://x", "https://x\n  tokenEnv: PATH", "https://x #c"} {
		if _, err := Files(Options{Name: "x", From: "hubspot", URL: bad}); err == nil {
			t.Errorf("--url %q accepted", bad)
		}
	}
}
