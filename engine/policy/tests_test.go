package policy

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestBuiltinRegoTests runs every *_test.rego of the built-in policies.
func TestBuiltinRegoTests(t *testing.T) {
	rep, err := RunTests(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pkgs := map[string]int{}
	for _, r := range rep.Results {
		pkgs[r.Package]++
		if !r.Pass {
			t.Errorf("%s:%d %s.%s: %s %s", r.File, r.Line, r.Package, r.Name, r.Message, r.Output)
		}
	}
	if !rep.OK() || rep.Passed != len(rep.Results) {
		t.Errorf("passed %d of %d", rep.Passed, len(rep.Results))
	}
	// Every policy package has tests.
	for _, p := range []string{"campaign", "consent", "lib", "lifecycle", "metadata", "naming", "project", "raci", "sla", "taxonomy"} {
		if pkgs["mops."+p+"_test"] == 0 {
			t.Errorf("no tests for mops.%s", p)
		}
	}
}

func TestRepositoryRegoTests(t *testing.T) {
	dir := repoWith(t, map[string]string{
		"policies/acme.rego": `package mops.acme

deny contains {"rule": "acme.x", "message": "x"} if input.kind == "Campaign"
`,
		"policies/acme_test.rego": `package mops.acme_test

import data.mops.acme

test_fires if {
	count(acme.deny) == 1 with input as {"kind": "Campaign"}
}

test_wrong if {
	print("looking at", count(acme.deny))
	count(acme.deny) == 2 with input as {"kind": "Campaign"}
}

conflict := 1 if input.x

conflict := 2 if input.x

test_error if {
	conflict == 1 with input as {"x": true}
}

test_slow if {
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	i + j < 0
}
`,
	})
	rep, err := RunTests(context.Background(), Options{RepoPolicies: os.DirFS(dir), RepoPolicyDirs: []string{"policies"}, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]TestResult{}
	for _, r := range rep.Results {
		if r.Package == "mops.acme_test" {
			got[r.Name] = r
		}
	}
	if r := got["test_fires"]; !r.Pass || r.File != "policies/acme_test.rego" || r.Line != 5 {
		t.Errorf("test_fires: %+v", r)
	}
	if r := got["test_wrong"]; r.Pass || r.Message != "the test was false or undefined" || !strings.Contains(r.Output, "looking at 0") {
		t.Errorf("test_wrong: %+v", r)
	}
	if r := got["test_error"]; r.Pass || !strings.Contains(r.Message, "eval_conflict_error") {
		t.Errorf("test_error: %+v", r)
	}
	if r := got["test_slow"]; r.Pass || !strings.Contains(r.Message, "time limit of 500ms") {
		t.Errorf("test_slow: %+v", r)
	}
	if rep.OK() || rep.Failed != 3 {
		t.Errorf("failed %d, want 3", rep.Failed)
	}
}

func TestExampleRegoTests(t *testing.T) {
	dir := "../../examples/acme"
	if _, err := os.Stat(dir + "/policies"); err != nil {
		t.Fatalf("the example repository's policies are part of the project: %v", err)
	}
	rep, err := RunTests(context.Background(), Options{RepoPolicies: os.DirFS(dir), RepoPolicyDirs: []string{"policies"}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rep.Results {
		if r.Package == "mops.acme_test" {
			n++
			if !r.Pass {
				t.Errorf("%s: %s", r.Name, r.Message)
			}
		}
	}
	if n == 0 {
		t.Error("examples/acme/policies has no tests")
	}
}
