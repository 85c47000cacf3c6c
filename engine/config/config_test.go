package config

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestReadExample(t *testing.T) {
	v, err := Read(os.DirFS("../../examples/acme"))
	if err != nil {
		t.Fatal(err)
	}
	want := Values{
		"name":          {"acme"},
		"changelog":     {".mops/changelog"},
		"defaultSystem": {"sandbox"},
		"systems":       {"sandbox", "salesforce-sandbox", "hubspot-prod"},
	}
	if d := cmp.Diff(want, v); d != "" {
		t.Errorf("values (-want +got):\n%s", d)
	}
}

func TestDefaultsAndSettings(t *testing.T) {
	minimal := "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: tiny\nspec: {}\n"
	custom := "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: tiny\nspec:\n  changelog: audit/changes.jsonl\n"
	for src, want := range map[string]string{minimal: ".mops/changelog", custom: "audit/changes.jsonl"} {
		v, err := Read(fstest.MapFS{"mops.yaml": {Data: []byte(src)}})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := v.Get("changelog"); len(got) != 1 || got[0] != want {
			t.Errorf("changelog of\n%s= %v, want %s", src, got, want)
		}
		if got, _ := v.Get("systems"); len(got) != 0 {
			t.Errorf("systems of a Project without any = %v", got)
		}
	}
}

func TestBrokenProjectNamesTheLine(t *testing.T) {
	broken := "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: tiny\nspec:\n  changelog: [unclosed\n"
	_, err := Read(fstest.MapFS{"mops.yaml": {Data: []byte(broken)}})
	if err == nil || !strings.HasPrefix(err.Error(), "mops.yaml:") {
		t.Fatalf("err = %v, want one naming mops.yaml:LINE:COL", err)
	}
	_, err = Read(fstest.MapFS{"README.md": {Data: []byte("hi")}})
	if err == nil || !strings.Contains(err.Error(), "mops.yaml not found") {
		t.Errorf("err = %v, want mops.yaml not found", err)
	}
}

func TestUnknownKeyListsTheKnownOnes(t *testing.T) {
	v, err := Read(os.DirFS("../../examples/acme"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Get("changelogs")
	if err == nil || !strings.Contains(err.Error(), "known keys: name, changelog, defaultSystem, systems") {
		t.Errorf("err = %v", err)
	}
}

// TestHostileProject: mops.yaml comes from a pull request's author. An
// alias bomb is refused with a finding, not expanded.
func TestHostileProject(t *testing.T) {
	bomb := "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: x\nspec:\n" +
		"  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
		"  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
		"  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	_, err := Read(fstest.MapFS{"mops.yaml": {Data: []byte(bomb)}})
	if err == nil || !strings.HasPrefix(err.Error(), "mops.yaml:") {
		t.Errorf("an alias bomb in mops.yaml gave %v, want a refusal naming mops.yaml:LINE:COL", err)
	}
}
