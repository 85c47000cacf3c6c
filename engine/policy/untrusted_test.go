package policy

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestCapabilitiesKeepOnlyDeterministicBuiltins checks the sandbox against
// OPA's own list: every built-in OPA marks nondeterministic (the network,
// the environment, the clock, randomness) is withheld, except
// time.now_ns, which is pinned to the run's date. A new OPA that adds such
// a built-in fails here until it is withheld.
func TestCapabilitiesKeepOnlyDeterministicBuiltins(t *testing.T) {
	nondeterministic := map[string]bool{}
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		nondeterministic[b.Name] = b.Nondeterministic
	}
	kept := map[string]bool{}
	for _, b := range capabilities().Builtins {
		kept[b.Name] = true
		if nondeterministic[b.Name] && b.Name != "time.now_ns" {
			t.Errorf("%s is nondeterministic (network, environment or randomness) and still available to repository policies", b.Name)
		}
	}
	for _, name := range []string{"http.send", "net.lookup_ip_addr", "opa.runtime", "json.match_schema", "json.verify_schema", "io.jwt.decode_verify", "providers.aws.sign_req", "rand.intn", "uuid.rfc4122"} {
		if kept[name] {
			t.Errorf("%s is available to repository policies", name)
		}
	}
	if caps := capabilities(); caps.AllowNet == nil || len(caps.AllowNet) != 0 {
		t.Errorf("AllowNet = %v, want an empty list (no host)", caps.AllowNet)
	}
}

// TestRepositoryPoliciesCannotUseBuiltinRuleIDs: a repository rule that
// writes or annotates an id under a built-in prefix is refused when the
// policies load, for every built-in prefix.
func TestRepositoryPoliciesCannotUseBuiltinRuleIDs(t *testing.T) {
	for _, prefix := range reserve(Rules()) {
		id := prefix + "forged"
		_, err := newWithPolicy(t, "forge.rego", `package mops.acme

deny contains {"rule": "`+id+`", "message": "looks built in"} if input.kind == "Project"
`)
		var ce *CompileError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "policies/forge.rego:3: rule id \""+id+"\" belongs to the built-in policies ("+prefix+"*)") {
			t.Errorf("%s: got %v", id, err)
		}
	}
	_, err := newWithPolicy(t, "forge.rego", `package mops.acme

# METADATA
# description: Pretends to be a waiver rule.
# custom:
#   id: waiver.expired
deny contains {"rule": r, "message": "x"} if {
	input.kind == "Project"
	r := "acme.x"
}
`)
	if err == nil || !strings.Contains(err.Error(), `rule id "waiver.expired" belongs to the built-in policies (waiver.*)`) {
		t.Errorf("annotated built-in id: got %v", err)
	}
	for _, prefix := range []string{"policy.", "campaign.", "waiver.", "taxonomy.", "raci."} {
		if _, ok := reserve(Rules()).claims(prefix + "x"); !ok {
			t.Errorf("%s* is not reserved", prefix)
		}
	}
}

// TestComputedBuiltinRuleIDIsAnImpersonation: an id computed at run time
// cannot be refused at load; the finding is replaced by one saying what
// the policy tried.
func TestComputedBuiltinRuleIDIsAnImpersonation(t *testing.T) {
	dir := repoPolicy(t, "forge.rego", `package mops.acme

deny contains {"rule": concat(".", ["waiver", "expired"]), "message": "waived by policy"} if input.kind == "Project"
`)
	got := evaluate(t, dir, Options{RepoPolicyDirs: []string{"policies"}})
	var forged, caught int
	for _, f := range got {
		switch f.Rule {
		case RuleWaiverExpired:
			forged++
		case RuleImpersonation:
			caught++
			if !strings.Contains(f.Message, `policy package mops.acme returned rule id "waiver.expired", which belongs to the built-in policies (waiver.*)`) || f.File != "mops.yaml" {
				t.Errorf("impersonation finding: %s at %s", f.Message, f.File)
			}
		}
	}
	if forged != 0 || caught != 1 {
		t.Errorf("%d finding(s) under the built-in id, %d impersonation finding(s):%s", forged, caught, dump(got))
	}
}

// TestRepositoryPolicyFindingsAreCapped: a package that reports too many
// findings, or too many bytes of them, is cut at its quota in document
// order, with one finding saying how many more there were.
func TestRepositoryPolicyFindingsAreCapped(t *testing.T) {
	for _, c := range []struct {
		name, message string
		n, kept       int
	}{
		{"count", `sprintf("finding %d", [i])`, 20000, MaxRepoFindings},
		// Messages are shortened to 1000 characters (1002 bytes with the
		// "…") before they count, with the rule id's 10 bytes.
		{"bytes", `sprintf("%d %s", [i, concat("", [s | some _ in numbers.range(1, 400); s := "word "])])`, 3000, MaxRepoFindingBytes / 1012},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := repoPolicy(t, "flood.rego", `package mops.acme

deny contains {"rule": "acme.flood", "message": msg} if {
	input.kind == "Project"
	some i in numbers.range(1, `+strconv.Itoa(c.n)+`)
	msg := `+c.message+`
}
`)
			got := evaluate(t, dir, Options{RepoPolicyDirs: []string{"policies"}})
			var kept int
			var capped []string
			for _, f := range got {
				switch f.Rule {
				case "acme.flood":
					kept++
				case RuleTooManyFindings:
					capped = append(capped, f.Message)
				}
			}
			if kept != c.kept {
				t.Errorf("kept %d findings, want %d", kept, c.kept)
			}
			if len(capped) != 1 || !strings.Contains(capped[0], "policy package mops.acme reported "+strconv.Itoa(c.n-kept)+" more finding(s) than shown") {
				t.Errorf("cap findings: %q", capped)
			}
		})
	}
	// A built-in package has no quota, and a package under it keeps all.
	dir := repoPolicy(t, "few.rego", `package mops.acme

deny contains {"rule": "acme.few", "message": sprintf("finding %d", [i])} if {
	input.kind == "Project"
	some i in numbers.range(1, 10)
}
`)
	for _, f := range evaluate(t, dir, Options{RepoPolicyDirs: []string{"policies"}}) {
		if f.Rule == RuleTooManyFindings {
			t.Errorf("capped a package under its quota: %s", f.Message)
		}
	}
}

// TestEvaluationStopsAtTheMemoryLimit: a policy that builds a huge value
// is stopped when the heap has grown by the limit, well before the time
// limit, with an error that says so.
func TestEvaluationStopsAtTheMemoryLimit(t *testing.T) {
	dir := repoPolicy(t, "bomb.rego", `package mops.acme

deny contains {"rule": "acme.bomb", "message": "x"} if {
	input.kind == "Project"
	count(numbers.range(1, 1000000000)) > 0
}
`)
	e, err := New(context.Background(), Options{Today: testToday, RepoPolicies: os.DirFS(dir), RepoPolicyDirs: []string{"policies"}, MemoryLimit: 64 << 20, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Evaluate(context.Background(), loadBundle(t, dir))
	if !errors.Is(err, ErrMemoryLimit) || !strings.Contains(err.Error(), "policy evaluation stopped at the memory limit of 64 MiB (while checking mops.yaml)") {
		t.Fatalf("got %v, want the memory limit", err)
	}
}
