package cli

import (
	"strings"
	"testing"
)

func TestMopsTestReportsFailingRepoTest(t *testing.T) {
	stdout, stderr, code := run(t, "test", "--dir", "testdata/policytest")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one repository test fails)\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "FAIL mops.acme.owner_test.test_owner_present_denied") {
		t.Errorf("the failing test is not named:\n%s", stdout)
	}
	if strings.Contains(stdout, "FAIL mops.acme.owner_test.test_missing_owner_denied") {
		t.Errorf("a passing test is reported as failing:\n%s", stdout)
	}
	if !strings.Contains(stdout, " 1 failed") {
		t.Errorf("summary does not count one failure:\n%s", stdout)
	}
}

func TestMopsTestBuiltinsPass(t *testing.T) {
	stdout, stderr, code := run(t, "test", "--dir", "../../examples/acme")
	if code != 0 || !strings.Contains(stdout, " 0 failed") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestHostileRepositoryPolicyIsRefused: a policy under review that reads
// the environment or calls the network is a deny finding at its line, and
// never runs.
func TestHostileRepositoryPolicyIsRefused(t *testing.T) {
	stdout, _, code := run(t, "validate", "--format", "json", "--dir", "testdata/hostile")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, stdout)
	}
	r := findings(t, stdout)
	want := map[string]int{"opa.runtime": 4, "http.send": 9}
	for fn, line := range want {
		found := false
		for _, f := range r.Findings {
			if f.Rule == "policy" && f.File == "policies/evil.rego" && f.Line == line && strings.Contains(f.Message, fn+" is not available") {
				found = true
			}
		}
		if !found {
			t.Errorf("no policy finding for %s at policies/evil.rego:%d:\n%s", fn, line, stdout)
		}
	}
}
