package policy

import (
	"cmp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/mops-dev/mops/engine/source"
)

// RuleInfo describes one rule id: what docs/policies.md lists and a
// `mops rules` listing prints.
type RuleInfo struct {
	ID          string          `json:"id"`
	Severity    source.Severity `json:"severity"`
	Description string          `json:"description"`
	// Package is the Rego package that reports the rule, or "engine" for
	// the rules the engine checks itself (waivers, malformed findings).
	Package string `json:"package"`
}

// Rule ids the engine reports itself.
const (
	RuleWaiverExpired     = "waiver.expired"
	RuleWaiverTooLong     = "waiver.too-long"
	RuleWaiverApprover    = "waiver.approver"
	RuleWaiverUnknownRule = "waiver.unknown-rule"
	RuleWaiverInvalid     = "waiver.invalid"
	RuleInvalidFinding    = "policy.invalid-finding"
	RuleImpersonation     = "policy.impersonation"
	RuleTooManyFindings   = "policy.too-many-findings"
	RuleTimeout           = "policy.timeout"
)

// MaxWaiverDays is how far after the day it was added a waiver may run.
const MaxWaiverDays = 90

// engineRules describes the rules the engine checks in Go.
func engineRules() []RuleInfo {
	return []RuleInfo{
		{RuleWaiverExpired, source.Warn, "A waiver whose until date has passed is ignored, and reported.", "engine"},
		{RuleWaiverTooLong, source.Deny, "A waiver runs at most 90 days after the date it was added (its commit date where known, else today).", "engine"},
		{RuleWaiverApprover, source.Deny, "A waiver's approvedBy is a RACI role.", "engine"},
		{RuleWaiverUnknownRule, source.Warn, "A waiver names a rule id that some policy reports.", "engine"},
		{RuleWaiverInvalid, source.Deny, "A waiver has rule, until (a YYYY-MM-DD date), reason and approvedBy.", "engine"},
		{RuleInvalidFinding, source.Deny, "A policy's deny or warn set holds only objects with a dotted lower-case rule id and a message.", "engine"},
		{RuleImpersonation, source.Deny, "A repository policy reports under rule ids of its own, never under a built-in prefix (campaign., waiver., ...).", "engine"},
		{RuleTooManyFindings, source.Deny, "A repository policy package reports at most 5000 findings (2 MiB of them) in a run.", "engine"},
		{RuleTimeout, source.Deny, "The policies finish with each document within the time limit (10 seconds by default).", "engine"},
	}
}

// Rules lists every built-in rule: those of the embedded policies, read
// from the METADATA annotations beside each deny and warn rule, and those
// the engine checks itself. It is sorted by id.
func Rules() []RuleInfo {
	mods, err := loadBuiltins(capabilities(), false)
	if err != nil {
		// The embedded policies are tested to parse; never happens in a
		// released binary.
		return engineRules()
	}
	out := append(rulesOf(mods), engineRules()...)
	sortRules(out)
	return out
}

func sortRules(rs []RuleInfo) {
	slices.SortFunc(rs, func(a, b RuleInfo) int { return cmp.Compare(a.ID, b.ID) })
}

// rulesOf reads rule ids from the annotations of deny and warn rules: a
// METADATA block with `custom: {id: ...}` and a description. Severity comes
// from the rule itself (deny or warn), so it cannot disagree with it.
func rulesOf(mods regoModules) []RuleInfo {
	var out []RuleInfo
	seen := map[string]bool{}
	for _, name := range sortedKeys(mods) {
		m := mods[name]
		for _, rule := range m.Rules {
			sev, ok := ruleSeverity(rule)
			if !ok {
				continue
			}
			for _, a := range rule.Annotations {
				id, _ := a.Custom["id"].(string)
				if id == "" || seen[id] {
					continue
				}
				seen[id] = true
				desc := a.Description
				if desc == "" {
					desc = a.Title
				}
				out = append(out, RuleInfo{
					ID: id, Severity: sev, Description: oneLine(desc),
					Package: strings.TrimPrefix(m.Package.Path.String(), "data."),
				})
			}
		}
	}
	return out
}

// ruleSeverity reports whether rule defines a deny or warn set.
func ruleSeverity(rule *ast.Rule) (source.Severity, bool) {
	ref := rule.Head.Ref()
	if len(ref) == 0 {
		return "", false
	}
	var last ast.Value = ref[len(ref)-1].Value
	if v, ok := last.(ast.Var); ok && len(ref) == 1 {
		last = ast.String(v)
	}
	switch last {
	case ast.String("deny"):
		return source.Deny, true
	case ast.String("warn"):
		return source.Warn, true
	}
	return "", false
}

// ruleLiterals returns the rule ids a deny or warn rule writes literally in
// its head ({"rule": "acme.x", ...}).
func ruleLiterals(rule *ast.Rule) []string {
	var out []string
	for _, t := range []*ast.Term{rule.Head.Key, rule.Head.Value} {
		if t == nil {
			continue
		}
		ast.WalkTerms(t, func(x *ast.Term) bool {
			obj, ok := x.Value.(ast.Object)
			if !ok {
				return false
			}
			if v := obj.Get(ast.StringTerm("rule")); v != nil {
				if s, ok := v.Value.(ast.String); ok {
					out = append(out, string(s))
				}
			}
			return false
		})
	}
	return out
}

// knownRules is every rule id a waiver may name: annotated ids, ids written
// literally in deny and warn rules (repository policies need not annotate)
// and the engine's own.
func knownRules(mods regoModules, rules []RuleInfo) map[string]bool {
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	for _, m := range mods {
		for _, rule := range m.Rules {
			if _, ok := ruleSeverity(rule); !ok {
				continue
			}
			for _, id := range ruleLiterals(rule) {
				known[id] = true
			}
		}
	}
	return known
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
