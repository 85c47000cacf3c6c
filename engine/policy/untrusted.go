package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/mops-dev/mops/engine/source"
)

// A repository's policies are written by whoever opens a pull request.
// Besides the sandbox of their capabilities (capabilities.go), two limits
// keep them from drowning or faking the report:
//
//   - a quota: one repository package reports at most MaxRepoFindings
//     findings and MaxRepoFindingBytes bytes of them in a run, and a
//     finding says how many more it had;
//   - no impersonation: a rule id under a built-in prefix (campaign.*,
//     waiver.*, ...) is refused at load when written literally, and turned
//     into a policy.impersonation finding when computed at run time, so a
//     repository policy cannot pass for a built-in rule (or waive one by
//     reporting under its id).

// Limits on what one repository policy package reports in a run.
const (
	MaxRepoFindings     = 5000
	MaxRepoFindingBytes = 2 << 20
)

// reservedIDs are the first segments of the built-in rule ids, each with
// its dot ("campaign.", "waiver.", ...).
type reservedIDs []string

// reserve lists the prefixes of ids.
func reserve(rules []RuleInfo) reservedIDs {
	var out reservedIDs
	for _, r := range rules {
		if first, _, ok := strings.Cut(r.ID, "."); ok {
			out = append(out, first+".")
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// claims reports the built-in prefix rule id falls under, if any.
func (r reservedIDs) claims(id string) (string, bool) {
	for _, p := range r {
		if strings.HasPrefix(id, p) {
			return p, true
		}
	}
	return "", false
}

// builtinRuleIDs refuses repository deny and warn rules that write a
// built-in rule id in their head or annotate one: such a finding would
// pass for the built-in rule's.
func builtinRuleIDs(builtin, repo regoModules) error {
	reserved := reserve(append(rulesOf(builtin), engineRules()...))
	var errs ast.Errors
	for _, name := range sortedKeys(repo) {
		for _, rule := range repo[name].Rules {
			if _, ok := ruleSeverity(rule); !ok {
				continue
			}
			ids := ruleLiterals(rule)
			for _, a := range rule.Annotations {
				if id, ok := a.Custom["id"].(string); ok {
					ids = append(ids, id)
				}
			}
			for _, id := range ids {
				if prefix, ok := reserved.claims(id); ok {
					errs = append(errs, ast.NewError(ast.CompileErr, rule.Location,
						"rule id %s belongs to the built-in policies (%s*); a repository policy cannot report as a built-in rule: use an id of your own, such as acme.%s",
						source.Quote(id), prefix, strings.TrimPrefix(id, prefix)))
				}
			}
		}
	}
	if len(errs) > 0 {
		return compileError(errs)
	}
	return nil
}

// quota counts, in document order, what each repository package reported
// in one run.
type quota struct {
	e    *Engine
	used map[string]*usage
}

type usage struct {
	findings, bytes int
	// dropped counts findings past the limits, and where the package's
	// first one was.
	dropped int
	first   source.Pos
}

func (e *Engine) newQuota() *quota { return &quota{e: e, used: map[string]*usage{}} }

// admit returns the findings of r that fit the package's quota; a
// built-in package's all do.
func (q *quota) admit(r reported) []source.Finding {
	if !q.e.repoPkgs[r.pkg] {
		return r.findings
	}
	u := q.used[r.pkg]
	if u == nil {
		u = &usage{}
		if len(r.findings) > 0 {
			u.first = r.findings[0].Pos()
		}
		q.used[r.pkg] = u
	}
	kept := r.findings[:0:0]
	for _, f := range r.findings {
		size := len(f.Message) + len(f.Rule) + len(f.Path)
		if u.findings >= MaxRepoFindings || u.bytes+size > MaxRepoFindingBytes {
			u.dropped++
			continue
		}
		u.findings++
		u.bytes += size
		kept = append(kept, f)
	}
	u.dropped += r.more
	return kept
}

// exceeded is one finding per package that went past its quota, at the
// package's first finding.
func (q *quota) exceeded() []source.Finding {
	var out []source.Finding
	for _, pkg := range sortedKeys(q.used) {
		u := q.used[pkg]
		if u.dropped == 0 {
			continue
		}
		out = append(out, source.Finding{
			Rule: RuleTooManyFindings, Severity: source.Deny,
			Message: fmt.Sprintf("policy package %s reported %d more finding(s) than shown: a repository package reports at most %d findings and %d bytes of them in a run",
				pkg, u.dropped, MaxRepoFindings, MaxRepoFindingBytes),
		}.At(u.first))
	}
	return out
}
