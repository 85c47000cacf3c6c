package policy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

func TestBusinessDaysAndDurations(t *testing.T) {
	d := func(s string) time.Time { t, _ := parseDate(s); return t }
	for _, c := range []struct {
		from, to string
		want     int
	}{
		{"2027-01-05", "2027-01-20", 11}, // Tue to Wed, two weekends
		{"2027-01-08", "2027-01-11", 1},  // Fri to Mon
		{"2027-01-09", "2027-01-10", 0},  // Sat to Sun
		{"2027-01-20", "2027-01-05", -11},
		{"2027-01-05", "2027-01-05", 0},
	} {
		if got := BusinessDays(d(c.from), d(c.to)); got != c.want {
			t.Errorf("BusinessDays(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	for s, want := range map[string]Duration{
		"10bd": {10, true}, "3d": {3, false}, "24h": {1, false}, "90m": {0.0625, false}, "1h30m": {0.0625, false}, "0.5d": {0.5, false},
	} {
		got, err := ParseDuration(s)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"3 days", "10 bd", "-2h", "", "5w"} {
		if _, err := ParseDuration(s); err == nil {
			t.Errorf("ParseDuration(%q) should fail", s)
		}
	}
}

func campaignConvention(fold bool) *Convention {
	return NewConvention("{fy}-{quarter}-{region}-{channel}-{slug}", map[string]TokenRule{
		"fy":      {Pattern: "FY[0-9]{2}"},
		"quarter": {Enum: []string{"Q1", "Q2", "Q3", "Q4"}},
		"region":  {Taxonomy: "region", Values: []string{"north_america", "emea", "apac"}, Deprecated: map[string]string{"europe": "emea"}},
		"channel": {Taxonomy: "channel", Values: []string{"email", "paid-search"}},
		"slug":    {Pattern: "[a-z0-9]+(_[a-z0-9]+)*", MaxLength: 14},
	}, 50, fold)
}

func TestConvention(t *testing.T) {
	c := campaignConvention(false)
	cases := []struct {
		name string
		ok   bool
		msgs []string
	}{
		{"FY27-Q1-emea-email-spring_launch", true, nil},
		// A separator inside a token value: only the whole-name match splits it.
		{"FY27-Q1-north_america-paid-search-launch", true, nil},
		{"FY27-Q1-EMAE-email-spring", false, []string{"region 'EMAE' is not a value of taxonomy region; did you mean 'emea'? (allowed: north_america, emea, apac)"}},
		{"FY27-Q5-emea-email-spring", false, []string{"quarter 'Q5' is not one of Q1, Q2, Q3, Q4; did you mean 'Q1'?"}},
		{"F27-Q1-emea-email-spring", false, []string{"fy 'F27' does not match the pattern FY[0-9]{2}"}},
		{"FY27-Q1-europe-email-spring", false, []string{"region 'europe' is a deprecated value of taxonomy region; use 'emea'"}},
		{"FY27-Q1-emea-email-a_very_long_slug", false, []string{"slug 'a_very_long_slug' is 16 characters long; at most 14 allowed"}},
		{"FY27-Q1-emea-email", false, []string{"expected '-' after {channel} (template {fy}-{quarter}-{region}-{channel}-{slug})"}},
		{"FY27-Q1-emea-email-spring-launch-of-the-new-product-x", false, []string{
			"it is 53 characters long; the convention allows at most 50",
			"slug 'spring-launch-of-the-new-product-x' does not match the pattern [a-z0-9]+(_[a-z0-9]+)*",
		}},
	}
	for _, tc := range cases {
		m := c.Check(tc.name)
		var msgs []string
		for _, p := range m.Problems {
			msgs = append(msgs, p.Message)
		}
		if m.OK != tc.ok || !slices.Equal(msgs, tc.msgs) {
			t.Errorf("Check(%q) = ok %v %q, want ok %v %q", tc.name, m.OK, msgs, tc.ok, tc.msgs)
		}
	}
	if m := c.Check("FY27-Q1-emea-email-spring"); m.Tokens["region"] != "emea" || m.Tokens["slug"] != "spring" {
		t.Errorf("tokens: %v", m.Tokens)
	}

	lower := campaignConvention(true)
	if m := lower.Check("fy27-q1-emea-email-spring"); !m.OK {
		t.Errorf("lower: %+v", m.Problems)
	}
	m := lower.Check("FY27-Q1-emea-email-spring")
	if m.OK || len(m.Problems) != 1 || !strings.Contains(m.Problems[0].Message, "must be lower case") {
		t.Errorf("lower upper-case: %+v", m.Problems)
	}
}

func TestTemplateTokens(t *testing.T) {
	got := TemplateTokens("{fy}-x{quarter}{}y-{region")
	if !slices.Equal(got, []string{"fy", "quarter"}) {
		t.Errorf("got %v", got)
	}
}

// TestBuiltinRuleIDsAnnotated checks that every rule id a built-in deny or
// warn rule writes is described by a METADATA block (so it is listed in
// Rules and the docs), and that no annotation names an id its rules do not
// write.
func TestBuiltinRuleIDsAnnotated(t *testing.T) {
	mods, err := loadBuiltins(capabilities(), false)
	if err != nil {
		t.Fatal(err)
	}
	annotated := map[string]bool{}
	for _, r := range rulesOf(mods) {
		annotated[r.ID] = true
	}
	written := map[string]bool{}
	for name, m := range mods {
		for _, rule := range m.Rules {
			if _, ok := ruleSeverity(rule); !ok {
				continue
			}
			ids := ruleLiterals(rule)
			if len(ids) != 1 {
				t.Errorf("%s:%d: a built-in rule writes exactly one literal rule id, got %v", name, rule.Location.Row, ids)
				continue
			}
			written[ids[0]] = true
			if !annotated[ids[0]] {
				t.Errorf("%s:%d: rule id %s has no METADATA block with custom.id", name, rule.Location.Row, ids[0])
			}
			for _, a := range rule.Annotations {
				if id, _ := a.Custom["id"].(string); id != "" && id != ids[0] {
					t.Errorf("%s:%d: METADATA names %s but the rule writes %s", name, rule.Location.Row, id, ids[0])
				}
			}
		}
	}
	for id := range annotated {
		if !written[id] {
			t.Errorf("annotated rule id %s is written by no rule", id)
		}
	}
}

// TestRunConstants checks which rules the engine computes once per run.
func TestRunConstants(t *testing.T) {
	c := ast.MustCompileModules(map[string]string{"p.rego": `package mops.p

table := {x | some x in input.index.Taxonomy}            # index only: constant
today := input.today                                      # constant
kind := input.kind                                        # the document
whole := object.get(input, "kind", "")                    # input as a whole
derived := count(table)                                   # depends on a constant
tainted := count(kind)                                    # depends on the document
mocked := n if { n := count(table) with input.index as {} }  # uses with
f(x) := table[x]                                          # a function of constants
g(x) := x == input.kind                                   # reads the document
h(x) := g(x)                                              # through another function
`})
	tr := runConstants(c)
	for name, want := range map[string]bool{
		"table": true, "today": true, "kind": false, "whole": false, "derived": true,
		"tainted": false, "mocked": false, "f": true, "g": false, "h": false,
	} {
		if got := tr.covers(ast.MustParseRef("data.mops.p." + name)); got != want {
			t.Errorf("%s: constant %v, want %v", name, got, want)
		}
	}
}

// TestRunCacheSharesByArguments: a run-constant function's results are
// shared by its arguments, a rule's value by its ref; a function that
// reads the document is never shared.
func TestRunCacheSharesByArguments(t *testing.T) {
	c := ast.MustCompileModules(map[string]string{"p.rego": `package mops.p

table := {x | some x in input.index.Taxonomy}
f(x) := table[x]
g(x) := x == input.kind
`})
	consts := runConstants(c)
	call := func(fn, arg string) ast.Ref {
		return ast.Ref{ast.RefTerm(ast.MustParseRef("data.mops.p." + fn)...), ast.StringTerm(arg)}
	}
	cache := newRunVirtualCache(consts, &sharedCache{})
	cache.Put(call("f", "a"), ast.StringTerm("A"))
	cache.Put(call("f", "b"), ast.StringTerm("B"))
	cache.Put(ast.MustParseRef("data.mops.p.table"), ast.SetTerm())
	cache.Put(call("g", "a"), ast.BooleanTerm(true))
	// A later document's evaluation: a new virtual cache over the same
	// shared one.
	next := newRunVirtualCache(consts, cache.shared)
	for _, c := range []struct {
		ref  ast.Ref
		want string
	}{
		{call("f", "a"), `"A"`},
		{call("f", "b"), `"B"`},
		{ast.MustParseRef("data.mops.p.table"), "set()"},
	} {
		if v, _ := next.Get(c.ref); v == nil || v.String() != c.want {
			t.Errorf("%v: shared value %v, want %s", c.ref, v, c.want)
		}
	}
	if v, _ := next.Get(call("g", "a")); v != nil {
		t.Errorf("g reads the document, yet its value %v was shared", v)
	}
	if v, _ := next.Get(call("f", "c")); v != nil {
		t.Errorf("f(\"c\") was never computed, yet got %v", v)
	}
}

func TestRuleKinds(t *testing.T) {
	c := ast.MustCompileModules(map[string]string{"p.rego": `package mops.p

a contains 1 if input.kind == "A"
b contains 1 if "B" == input.kind
c contains 1 if input.kind in {"C", "D"}
n contains 1 if input.kind != "Campaign"
any contains 1 if input.spec.x == 1
both contains 1 if { input.kind == "A"; input.kind in ["A", "B"] }
neg contains 1 if { not input.kind == "A" }
`})
	kinds := []string{"A", "B", "C", "D", "Campaign"}
	want := map[string]string{
		"a": "A", "b": "B", "c": "C D", "n": "A B C D", "any": "A B C D Campaign", "both": "A", "neg": "A B C D Campaign",
	}
	filters := map[string]kindFilter{}
	for _, r := range c.Modules["p.rego"].Rules {
		name := string(r.Head.Ref()[0].Value.(ast.Var))
		filters[name] = ruleKinds(r)
	}
	for name, f := range filters {
		var got []string
		for _, k := range kinds {
			if f.allows(k) {
				got = append(got, k)
			}
		}
		if strings.Join(got, " ") != want[name] {
			t.Errorf("%s: allows %v, want %s", name, got, want[name])
		}
	}
	union := func(a, b string) string {
		f := filters[a].union(filters[b])
		var got []string
		for _, k := range kinds {
			if f.allows(k) {
				got = append(got, k)
			}
		}
		return strings.Join(got, " ")
	}
	for _, c := range []struct{ a, b, want string }{
		{"a", "c", "A C D"}, {"a", "n", "A B C D"}, {"n", "n", "A B C D"}, {"a", "any", "A B C D Campaign"},
	} {
		if got := union(c.a, c.b); got != c.want {
			t.Errorf("%s ∪ %s = %s, want %s", c.a, c.b, got, c.want)
		}
	}
}

// TestTemplateMatchTransforms: the transforms a NamingConvention's appliesTo
// may name each hold the name to its case; an unknown one is an error
// rather than a convention that silently checks nothing.
func TestTemplateMatchTransforms(t *testing.T) {
	spec := `{"template": "{fy}-{quarter}", "tokens": {"fy": {"pattern": "FY[0-9]{2}"}, "quarter": {"enum": ["Q1", "Q2", "Q3", "Q4"]}}}`
	cases := []struct {
		transform, text string
		ok              bool
	}{
		{"", "FY27-Q1", true},
		{"lower", "fy27-q1", true},
		{"lower", "FY27-Q1", false},
		{"upper", "FY27-Q1", true},
		{"upper", "fy27-q1", false},
	}
	for _, c := range cases {
		q := fmt.Sprintf(`x := mops.template_match(%s, {}, %q, %q)`, spec, c.text, c.transform)
		opts := []func(*rego.Rego){rego.Query(q)}
		for _, b := range builtins() {
			opts = append(opts, b.opt)
		}
		rs, err := rego.New(opts...).Eval(context.Background())
		if err != nil {
			t.Fatalf("%s %q: %v", c.transform, c.text, err)
		}
		res := rs[0].Bindings["x"].(map[string]any)
		problems, _ := res["problems"].([]any)
		if got := len(problems) == 0; got != c.ok {
			t.Errorf("transform %q on %q: ok=%v, want %v (problems %v)", c.transform, c.text, got, c.ok, problems)
		}
	}
	q := fmt.Sprintf(`x := mops.template_match(%s, {}, "FY27-Q1", "title")`, spec)
	opts := []func(*rego.Rego){rego.Query(q), rego.StrictBuiltinErrors(true)}
	for _, b := range builtins() {
		opts = append(opts, b.opt)
	}
	if _, err := rego.New(opts...).Eval(context.Background()); err == nil || !strings.Contains(err.Error(), "unknown transform") {
		t.Errorf("unknown transform: err = %v, want an error naming it", err)
	}
}

func TestBusinessDaysExcept(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(dateLayout, s); return t }
	holidays := []time.Time{d("2027-01-16"), d("2027-01-18"), d("2027-01-06")}
	// Wed 01-06 to Wed 01-20: ten weekdays after 01-06; the holiday on
	// Mon 01-18 counts, Sat 01-16 is no weekday and 01-06 is not after from.
	if got := BusinessDaysExcept(d("2027-01-06"), d("2027-01-20"), holidays); got != 9 {
		t.Errorf("forward: %d, want 9", got)
	}
	if got := BusinessDaysExcept(d("2027-01-20"), d("2027-01-06"), holidays); got != -9 {
		t.Errorf("backward: %d, want -9", got)
	}
}
