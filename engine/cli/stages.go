package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/source"
)

// RulePolicy is the rule id of a repository policy that does not compile.
const RulePolicy = "policy"

// policyStage builds the policy engine from the loaded repository's
// spec.policies and evaluates it. A repository policy that does not
// compile (or uses a withheld built-in) is a deny finding at its file and
// line, like any other problem in the repository.
type policyStage struct {
	dir   string
	today time.Time
}

func (s policyStage) Evaluate(ctx context.Context, b *model.Bundle) ([]source.Finding, error) {
	proj, err := b.ProjectSpec()
	if err != nil {
		proj = model.Project{} // the schema stage reports what is wrong
	}
	e, err := policy.New(ctx, policy.Options{Today: s.today, RepoPolicies: os.DirFS(s.dir), RepoPolicyDirs: proj.Policies})
	var ce *policy.CompileError
	if errors.As(err, &ce) {
		return compileFindings(s.dir, ce), nil
	}
	if err != nil {
		return []source.Finding{{Rule: RulePolicy, Severity: source.Deny, File: "mops.yaml", Message: err.Error()}}, nil
	}
	return e.Evaluate(ctx, b)
}

func compileFindings(dir string, ce *policy.CompileError) []source.Finding {
	var out []source.Finding
	for _, e := range ce.Errors {
		f := source.Finding{Rule: RulePolicy, Severity: source.Deny, Message: e.Message}
		if e.Location != nil {
			f.File, f.Line, f.Column = e.Location.File, e.Location.Row, e.Location.Col
			if rel, err := filepath.Rel(dir, f.File); err == nil && filepath.IsLocal(rel) {
				f.File = filepath.ToSlash(rel)
			}
		}
		out = append(out, f)
	}
	return out
}

// ruleDescriptions maps every built-in rule id to its one-line description.
func ruleDescriptions() map[string]string {
	out := map[string]string{}
	for _, r := range policy.Rules() {
		out[r.ID] = r.Description
	}
	return out
}
