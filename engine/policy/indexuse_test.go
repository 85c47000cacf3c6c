package policy

import (
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/mops-dev/mops/engine/model"
)

// readsOf compiles rego (the body of package mops.acme) as a repository
// policy and tells what it reads of campaigns through input.index:
// "none", "whole", "names", or the fields read.
func readsOf(t *testing.T, rego string) string {
	t.Helper()
	m, err := ast.ParseModuleWithOpts("acme.rego", "package mops.acme\n"+rego, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatalf("%s: %v", rego, err)
	}
	c := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
	c.Compile(map[string]*ast.Module{"acme.rego": m})
	if c.Failed() {
		t.Fatalf("%s: %v", rego, c.Errors)
	}
	return describeReads(indexReadsOf(nil, []*ast.Module{c.Modules["acme.rego"]}, string(model.KindCampaign)))
}

func describeReads(r indexReads) string {
	switch {
	case r.whole:
		return "whole"
	case len(r.fields) > 0:
		return r.fields.String()
	case r.names:
		return "names"
	}
	return "none"
}

// TestIndexReads: the engine projects campaigns in input.index to what
// the policies read of them, so it must find every field a policy can
// reach, and fall back to whole campaigns for any use it cannot follow.
func TestIndexReads(t *testing.T) {
	cases := []struct{ rego, want string }{
		// Nothing of campaigns.
		{`x := object.get(input.index, "Taxonomy", {})`, "none"},
		{`x := input.index.Taxonomy`, "none"},
		{`x if object.keys(input)`, "none"},
		{`x if object.get(input, ["spec", "a"], 0) == 1`, "none"},
		{`x if input.spec.parent == "a"`, "none"},
		// Names only.
		{`x if { some name, _ in input.index.Campaign; name == "a" }`, "names"},
		{`x if input.index.Campaign[input.spec.parent]`, "names"},
		{`x if not input.index.Campaign[input.spec.parent]`, "names"},
		{`x if count(input.index.Campaign) > 1`, "names"},
		{`x if "a" in object.keys(input.index.Campaign)`, "names"},
		// Fields.
		{`x contains m if { some c in input.index.Campaign; c.spec.budget > 10; m := c.metadata.name }`, "metadata.name, spec.budget"},
		{`x := input.index.Campaign[input.spec.parent].spec.owner`, "spec.owner"},
		{`x if { some c in object.get(input.index, "Campaign", {}); object.get(c, ["spec", "budget"], 0) > 1 }`, "spec.budget"},
		{`x if { cs := input.index.Campaign; c := cs[input.spec.parent]; c.spec.x == 1 }`, "spec.x"},
		{`x if { some c in input.index.Campaign; c.spec[k] == 1 }`, "spec"},
		{`x if { some c in input.index.Campaign; c.spec.channels[0] == "email" }`, "spec.channels"},
		{`x if { y := input; y.index.Campaign.a.spec.x }`, "spec.x"},
		{`x if object.get(input, ["index", "Campaign", "a", "spec"], 0) == 1`, "spec"},
		{`x if every c in input.index.Campaign { c.spec.ok }`, "spec.ok"},
		{`x if { some c in input.index.Campaign; c.spec.budget; some d in input.index.Campaign; d.spec }`, "spec"},
		{`x if { some c in input.index.Campaign; c.spec.budget.amount; c.spec.budget.currency }`, "spec.budget.amount, spec.budget.currency"},
		{`x if { some c in input.index.Campaign; count(c.spec.channels) > 1 }`, "spec.channels"},
		// Whole campaigns: uses the engine does not follow.
		{`x := object.get(input.index, "Campaign", {})`, "whole"},
		{`x := input.index.Campaign`, "whole"},
		{`x if { some k; input.index[k] }`, "whole"},
		{`x if { some k, v in input.index }`, "whole"},
		{`x := object.get(input.index, y, {}) if { y := "Campaign" }`, "whole"},
		{`x := count(input.index)`, "whole"},
		{`x if { c := input.index.Campaign["a"]; f(c) }` + "\nf(c) := c.spec", "whole"},
		{`x if { some c in input.index.Campaign; c == input }`, "whole"},
		{`x if { some c in input.index.Campaign; c[k] == 1 }`, "whole"},
		{`x if { y := input; f(y) }` + "\nf(y) := y.index", "whole"},
		{`x if object.get(input, split(input.spec.from, "."), 0) == 1`, "whole"},
		{`x if count([c | some c in input.index.Campaign]) > 1`, "whole"},
		{`x if { a := input.index.Campaign.a; b := input.index.Campaign.b; a == b }`, "whole"},
		{`x if { some k; input[k] }`, "whole"},
		{`x := {c | some c in input.index.Campaign}`, "whole"},
	}
	for _, c := range cases {
		if got := readsOf(t, c.rego); got != c.want {
			t.Errorf("%s\n reads %s of campaigns, want %s", c.rego, got, c.want)
		}
	}
}

// TestBuiltinsReadNoCampaigns: the built-in policies never read campaigns
// through input.index, so a repository without policies of its own holds
// no campaign there and validates in memory that does not grow with its
// campaigns.
func TestBuiltinsReadNoCampaigns(t *testing.T) {
	e, err := New(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := describeReads(e.campaignReads); got != "none" {
		t.Fatalf("the built-in policies read %s of campaigns through input.index", got)
	}
}

// TestProjection: a campaign's entry in input.index holds the fields read
// and nothing else, and a field missing from the campaign stays missing.
func TestProjection(t *testing.T) {
	fields := fieldSet{}
	fields.add([]string{"spec", "budget", "amount"})
	fields.add([]string{"metadata", "name"})
	fields.add([]string{"spec", "missing"})
	fields.add([]string{"kind", "deeper"})
	v := map[string]any{
		"kind":     "Campaign",
		"metadata": map[string]any{"name": "a", "labels": map[string]any{"x": "y"}},
		"spec":     map[string]any{"budget": map[string]any{"amount": int64(3), "currency": "EUR"}, "channel": "email"},
	}
	got := fmt.Sprint(fields.project(v))
	if want := "map[metadata:map[name:a] spec:map[budget:map[amount:3]]]"; got != want {
		t.Errorf("projected %s, want %s", got, want)
	}
}
