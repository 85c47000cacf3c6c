package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixture is one testdata/rules/<rule-id>.yaml file: YAML documents added
// to the base repository, with the findings they must produce marked on
// their lines as "# want: rule.id [rule.id...]". Header comments:
//
//	# file: mops.yaml                 where to put it (default fixtures/<rule-id>.yaml)
//	# also: consent.yaml:6 rule.id    a finding expected in a base file
//
// A line "# base revision:" splits the file: what follows is the same
// file at the base revision, for change-aware rules (input.base).
type fixture struct {
	dest    string
	content string
	base    string
	want    []string // "file:line rule"
}

func readFixture(t *testing.T, id string) fixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "rules", id+".yaml"))
	if err != nil {
		t.Fatalf("every built-in rule needs a fixture that triggers it: %v", err)
	}
	return parseFixture(string(data), "fixtures/"+id+".yaml")
}

// parseFixture reads a fixture's header comments, base revision and
// marks; dest is where it goes unless a "# file:" header says otherwise.
func parseFixture(data, dest string) fixture {
	fx := fixture{dest: dest, content: data}
	if head, base, ok := strings.Cut(fx.content, "# base revision:\n"); ok {
		fx.content, fx.base = head, base
	}
	for i, line := range strings.Split(fx.content, "\n") {
		if rest, ok := strings.CutPrefix(line, "# file: "); ok {
			fx.dest = strings.TrimSpace(rest)
		}
		if rest, ok := strings.CutPrefix(line, "# also: "); ok {
			f := strings.Fields(rest)
			fx.want = append(fx.want, f[0]+" "+f[1])
		}
		if _, marks, ok := strings.Cut(line, "# want: "); ok {
			for _, rule := range strings.Fields(marks) {
				fx.want = append(fx.want, fmt.Sprintf("%s:%d %s", fx.dest, i+1, rule))
			}
		}
	}
	return fx
}

// TestRuleFixtures checks, for every built-in rule id, that its fixture
// produces exactly the marked findings: that rule at the marked lines and
// nothing else.
func TestRuleFixtures(t *testing.T) {
	for _, r := range Rules() {
		switch r.ID {
		case RuleInvalidFinding, RuleImpersonation, RuleTooManyFindings, RuleTimeout:
			continue // need a repository policy; see TestInvalidFindings, untrusted_test.go and TestSlowDocumentIsAFinding
		}
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			fx := readFixture(t, r.ID)
			if !slices.ContainsFunc(fx.want, func(w string) bool { return strings.HasSuffix(w, " "+r.ID) }) {
				t.Fatalf("fixture marks no %s finding", r.ID)
			}
			var opts Options
			if fx.base != "" {
				opts.Base = loadBundle(t, repoWith(t, map[string]string{fx.dest: fx.base}))
			}
			found := evaluate(t, repoWith(t, map[string]string{fx.dest: fx.content}), opts)
			var got []string
			for _, f := range found {
				if !f.Waived {
					got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
				}
				if f.Rule == r.ID && (f.Severity != r.Severity || f.Message == "") {
					t.Errorf("%s: severity %s (want %s), message %q", f.Rule, f.Severity, r.Severity, f.Message)
				}
			}
			slices.Sort(got)
			slices.Sort(fx.want)
			if !slices.Equal(got, fx.want) {
				t.Errorf("findings differ\n got: %q\nwant: %q\nall:%s", got, fx.want, dump(found))
			}
		})
	}
}

// TestEveryFixtureHasARule keeps testdata/rules free of fixtures for rules
// that no longer exist.
func TestEveryFixtureHasARule(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules() {
		ids[r.ID] = true
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.yaml"))
	for _, f := range files {
		if id := strings.TrimSuffix(filepath.Base(f), ".yaml"); !ids[id] {
			t.Errorf("%s: no rule %s", f, id)
		}
	}
}
