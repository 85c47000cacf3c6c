package policy

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// oldNamingRego is lib.naming_problems as it was written in Rego before
// mops.naming_problems, as a repository policy with a rule id of its own:
// the built-in naming rules must find exactly what it finds.
const oldNamingRego = `package mops.zz_old_naming

import data.mops.lib

deny contains {"rule": "zz.old-naming", "message": msg, "path": c.field} if {
	some c in lib.conventions[input.kind]
	value := object.get(input, c.segments, null)
	is_string(value)
	res := mops.template_match(c.spec, lib.taxonomies, value, c.transform)
	some p in res.problems
	msg := sprintf("%s '%s' does not follow naming convention %s: %s", [c.field, value, c.name, p.message])
}
`

// extraConventions add a convention on another kind, one whose transform
// template_match refuses, and one naming a field that is not a string.
const extraConventions = `apiVersion: mops.dev/v1
kind: NamingConvention
metadata: {name: sla-names}
spec:
  appliesTo:
    - {kind: SLA, field: metadata.name}
    - {kind: SLA, field: spec.target, transform: title}
    - {kind: Campaign, field: spec.regions}
    - {kind: Campaign, field: spec.audience.segment, transform: upper}
  template: "{what}-{unit}"
  tokens:
    what: {pattern: "[a-z]+"}
    unit: {enum: [days, hours, time]}
`

// TestNamingProblemsMatchesRego compares mops.naming_problems with the
// Rego it replaced over 300 campaigns with names broken at random.
func TestNamingProblemsMatchesRego(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	extra := map[string]string{"policies/old_naming.rego": oldNamingRego, "naming-extra.yaml": extraConventions}
	for i := range 300 {
		parts := []string{
			pick("FY27", "fy27", "FY2027", "F27", "FY28"),
			pick("Q1", "q1", "Q5", "Q4"),
			pick("emea", "EMEA", "emae", "apac", "north_america", ""),
			pick("email", "Email", "paid-search", "sms", "webinar"),
			pick("spring_launch", "Spring", "spring-launch", "x", strings.Repeat("long_", 12)+"tail"),
		}
		if rng.IntN(6) == 0 {
			parts = parts[:rng.IntN(len(parts))]
		}
		if rng.IntN(6) == 0 {
			parts = append(parts, "extra")
		}
		name := strings.Join(parts, pick("-", "-", "-", "_"))
		extra[fmt.Sprintf("campaigns/gen-%03d.yaml", i)] = fmt.Sprintf(`apiVersion: mops.dev/v1
kind: Campaign
metadata:
  name: gen-%03d
  owner: demand-gen
spec:
  name: %q
  channel: email
  type: nurture
  regions: [emea]
  intakeDate: 2027-01-05
  launchDate: 2027-01-20
  audience: {segment: %q}
  utm: {source: newsletter, medium: email, campaign: %q}
`, i, name, pick("emea-prospects", "Emea-Prospects", "x-days"), strings.ToLower(name))
	}
	dir := repoWith(t, extra)
	findings := evaluate(t, dir, Options{RepoPolicyDirs: []string{"policies"}})
	type key struct{ file, path, message string }
	old, now := map[key]bool{}, map[key]bool{}
	for _, f := range findings {
		k := key{f.File, f.Path, f.Message}
		switch f.Rule {
		case "zz.old-naming":
			old[k] = true
		case "campaign.naming", "naming.follow":
			now[k] = true
		}
	}
	if diff := cmp.Diff(old, now); diff != "" {
		t.Fatalf("naming findings differ from the Rego they replaced (-rego +builtin):\n%s", diff)
	}
	if len(old) < 200 {
		t.Fatalf("only %d naming findings over 300 broken campaigns: the generator does not exercise the rule", len(old))
	}
}
