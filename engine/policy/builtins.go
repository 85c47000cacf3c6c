package policy

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/mops-dev/mops/engine/suggest"
)

// The custom built-in functions mops gives policies, for what Rego is poor
// at. docs/policies.md documents them for policy authors; BuiltinDocs lists
// them for tooling.

// builtin is one custom function: its declaration and its registration on a
// rego.Rego.
type builtin struct {
	decl *rego.Function
	opt  func(*rego.Rego)
}

// BuiltinDoc describes one custom built-in function.
type BuiltinDoc struct {
	Name        string
	Signature   string
	Description string
}

// BuiltinDocs lists the custom built-in functions with their signatures,
// sorted by name.
func BuiltinDocs() []BuiltinDoc {
	var out []BuiltinDoc
	for _, b := range builtins() {
		var args []string
		for _, a := range b.decl.Decl.NamedFuncArgs().Args {
			args = append(args, a.String())
		}
		sig := fmt.Sprintf("%s(%s) → %s", b.decl.Name, strings.Join(args, ", "), b.decl.Decl.NamedResult())
		out = append(out, BuiltinDoc{Name: b.decl.Name, Signature: sig, Description: b.decl.Description})
	}
	slices.SortFunc(out, func(a, b BuiltinDoc) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func anyObject() types.Type { return types.NewObject(nil, types.NewDynamicProperty(types.A, types.A)) }

func stringList() types.Type {
	return types.NewAny(types.NewArray(nil, types.A), types.NewSet(types.A))
}

// builtins returns the custom functions. Each call builds fresh
// declarations, so no state is shared between engines.
func builtins() []builtin {
	closest := &rego.Function{
		Name: "mops.closest",
		Description: "The candidate closest to value (case-insensitive Damerau-Levenshtein), " +
			`or "" when none is a plausible typo.`,
		Decl: types.NewFunction(types.Args(
			types.Named("value", types.S),
			types.Named("candidates", stringList()).Description("array or set of strings"),
		), types.Named("suggestion", types.S)),
	}
	templateMatch := &rego.Function{
		Name: "mops.template_match",
		Description: "Split text along a NamingConvention spec and check every token; taxonomy tokens take the " +
			`active values of taxonomies[name]; transform "lower" (or "upper") matches case-insensitively and requires lower (upper) case. ` +
			"Returns {ok, tokens: {token: text}, problems: [{token, text, reason, allowed, suggestion, message}]}.",
		Decl: types.NewFunction(types.Args(
			types.Named("convention", anyObject()).Description("a NamingConvention spec: template, tokens, maxLength"),
			types.Named("taxonomies", anyObject()).Description("Taxonomy documents by name, e.g. input.index.Taxonomy"),
			types.Named("text", types.S),
			types.Named("transform", types.S).Description(`"", "lower" or "upper"`),
		), types.Named("result", anyObject())),
	}
	businessDays := &rego.Function{
		Name:        "mops.business_days",
		Description: "Weekdays d with from < d <= to (negative when to is before from); dates are YYYY-MM-DD.",
		Decl: types.NewFunction(types.Args(
			types.Named("from", types.S), types.Named("to", types.S),
		), types.Named("days", types.N)),
	}
	daysBetween := &rego.Function{
		Name:        "mops.days_between",
		Description: "Calendar days from from to to (negative when to is before from); dates are YYYY-MM-DD.",
		Decl: types.NewFunction(types.Args(
			types.Named("from", types.S), types.Named("to", types.S),
		), types.Named("days", types.N)),
	}
	durationDays := &rego.Function{
		Name: "mops.duration_days",
		Description: `An SLA target (24h, 90m, 3d, 10bd) as {"days": number, "business": boolean}; ` +
			"undefined when target is not a duration.",
		Decl: types.NewFunction(types.Args(
			types.Named("target", types.S),
		), types.Named("duration", types.NewObject([]*types.StaticProperty{
			types.NewStaticProperty("days", types.N),
			types.NewStaticProperty("business", types.B),
		}, nil))),
	}
	indexBy := &rego.Function{
		Name: "mops.index_by",
		Description: "An object of the objects in array keyed by their field key (the first wins on duplicates; " +
			"entries without a string key are left out). Built once per run for arrays of input.index, so " +
			"lookups into taxonomy values or RACI roles cost the same for 10 or 10,000 documents.",
		Decl: types.NewFunction(types.Args(
			types.Named("array", types.NewArray(nil, types.A)),
			types.Named("key", types.S),
		), types.Named("index", anyObject())),
	}
	urlQuery := &rego.Function{
		Name:        "mops.url_query",
		Description: `The query parameters of a URL as {"name": ["value", ...]} ({} when it has none or cannot be read); the fragment is ignored.`,
		Decl: types.NewFunction(types.Args(
			types.Named("url", types.S),
		), types.Named("params", types.NewObject(nil, types.NewDynamicProperty(types.S, types.NewArray(nil, types.S))))),
	}
	utmLinkProblems := &rego.Function{
		Name: "mops.utm_link_problems",
		Description: "Each way the links disagree with the declared UTM parameters utm ({source: \"x\", ...} declares utm_source=x): " +
			"a declared parameter missing or with another value, or a utm_* parameter not declared. Returns [{link: index, message}] " +
			"in link order; links that are not strings are skipped, and non-array links or non-object utm give [].",
		Decl: types.NewFunction(types.Args(
			types.Named("links", types.A).Description("array of URLs, e.g. input.spec.links"),
			types.Named("utm", types.A).Description("the declared parameters without the utm_ prefix, e.g. input.spec.utm"),
		), types.Named("problems", types.NewArray(nil, anyObject()))),
	}
	namingProblems := &rego.Function{
		Name: "mops.naming_problems",
		Description: "For each naming item (an entry of mops.lib.naming_items: name, spec, field, segments, transform), " +
			"the field of doc it names, when a string, checked against the convention as template_match does; " +
			"returns the set of {path: field, message, deprecated} for every problem (deprecated: a token holds a deprecated taxonomy value). lib.naming_problems calls it.",
		Decl: types.NewFunction(types.Args(
			types.Named("items", types.A).Description("naming items, e.g. lib.conventions[input.kind]"),
			types.Named("taxonomies", types.A).Description("Taxonomy documents by name, e.g. input.index.Taxonomy"),
			types.Named("doc", types.A).Description("the document, e.g. input"),
		), types.Named("problems", types.NewSet(anyObject()))),
	}
	return []builtin{
		{namingProblems, rego.Function3(namingProblems, builtinNamingProblems)},
		{closest, rego.Function2(closest, builtinClosest)},
		{urlQuery, rego.Function1(urlQuery, builtinURLQuery)},
		{indexBy, rego.Function2(indexBy, builtinIndexBy)},
		{templateMatch, rego.Function4(templateMatch, builtinTemplateMatch)},
		{businessDays, rego.Function2(businessDays, dateFunc(BusinessDays))},
		{daysBetween, rego.Function2(daysBetween, dateFunc(DaysBetween))},
		{durationDays, rego.Function1(durationDays, builtinDurationDays)},
		{utmLinkProblems, rego.Function2(utmLinkProblems, builtinUTMLinkProblems)},
	}
}

// testerBuiltins adapts the custom functions for OPA's test runner.
func testerBuiltins() []*tester.Builtin {
	var out []*tester.Builtin
	for _, b := range builtins() {
		out = append(out, &tester.Builtin{
			Decl: &ast.Builtin{Name: b.decl.Name, Description: b.decl.Description, Decl: b.decl.Decl},
			Func: b.opt,
		})
	}
	return out
}

func builtinClosest(_ rego.BuiltinContext, value, candidates *ast.Term) (*ast.Term, error) {
	v, ok := value.Value.(ast.String)
	if !ok {
		return nil, errors.New("mops.closest: value must be a string")
	}
	var cands []string
	collect := func(t *ast.Term) {
		if s, ok := t.Value.(ast.String); ok {
			cands = append(cands, string(s))
		}
	}
	switch c := candidates.Value.(type) {
	case *ast.Array:
		c.Foreach(collect)
	case ast.Set:
		c.Foreach(collect) // sets iterate in sorted order
	default:
		return nil, errors.New("mops.closest: candidates must be an array or set of strings")
	}
	return ast.StringTerm(suggest.Closest(string(v), cands)), nil
}

func dateFunc(f func(a, b time.Time) int) rego.Builtin2 {
	return func(_ rego.BuiltinContext, a, b *ast.Term) (*ast.Term, error) {
		as, aok := a.Value.(ast.String)
		bs, bok := b.Value.(ast.String)
		if !aok || !bok {
			return nil, errors.New("dates must be strings (YYYY-MM-DD)")
		}
		ta, err := parseDate(string(as))
		if err != nil {
			return nil, err
		}
		tb, err := parseDate(string(bs))
		if err != nil {
			return nil, err
		}
		return ast.IntNumberTerm(f(ta, tb)), nil
	}
}

func builtinURLQuery(_ rego.BuiltinContext, u *ast.Term) (*ast.Term, error) {
	s, ok := u.Value.(ast.String)
	if !ok {
		return nil, errors.New("mops.url_query: url must be a string")
	}
	raw := string(s)
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	obj := ast.NewObject()
	i := strings.IndexByte(raw, '?')
	if i < 0 {
		return ast.NewTerm(obj), nil
	}
	values, _ := url.ParseQuery(raw[i+1:]) // keeps the pairs that parse
	for _, k := range sortedKeys(values) {
		vs := make([]*ast.Term, len(values[k]))
		for j, v := range values[k] {
			vs[j] = ast.StringTerm(v)
		}
		obj.Insert(ast.StringTerm(k), ast.ArrayTerm(vs...))
	}
	return ast.NewTerm(obj), nil
}

func builtinDurationDays(_ rego.BuiltinContext, target *ast.Term) (*ast.Term, error) {
	s, ok := target.Value.(ast.String)
	if !ok {
		return nil, errors.New("mops.duration_days: target must be a string")
	}
	d, err := ParseDuration(string(s))
	if err != nil {
		return nil, err
	}
	return ast.ObjectTerm(
		ast.Item(ast.StringTerm("days"), ast.FloatNumberTerm(d.Days)),
		ast.Item(ast.StringTerm("business"), ast.BooleanTerm(d.Business)),
	), nil
}

// runCache keeps what the custom functions derive from the shared index for
// one evaluation run: compiled conventions and index_by objects, keyed by
// the identity of their arguments. The run's index keeps those values alive
// and unchanged, so 10,000 campaigns compile a convention once. The cache
// holds each key value, so an address is never reused for another value
// while the run lasts.
type runCache struct {
	mu          sync.Mutex
	conventions map[conventionKey]*Convention
	indexes     map[indexKey]*ast.Term
}

type conventionKey struct {
	spec, taxonomies ast.Object
	fold, upper      bool
}

type indexKey struct {
	array *ast.Array
	key   string
}

// maxCached bounds each cache when policies build arguments on the fly
// (each a new identity).
const maxCached = 4096

type cacheCtxKey struct{}

// withRunCache returns a context carrying a fresh cache for one run.
func withRunCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, cacheCtxKey{}, &runCache{
		conventions: map[conventionKey]*Convention{},
		indexes:     map[indexKey]*ast.Term{},
	})
}

func cacheOf(bctx rego.BuiltinContext) *runCache {
	if bctx.Context == nil {
		return nil
	}
	c, _ := bctx.Context.Value(cacheCtxKey{}).(*runCache)
	return c
}

func builtinIndexBy(bctx rego.BuiltinContext, array, key *ast.Term) (*ast.Term, error) {
	arr, ok := array.Value.(*ast.Array)
	if !ok {
		return nil, errors.New("mops.index_by: array must be an array")
	}
	k, ok := key.Value.(ast.String)
	if !ok {
		return nil, errors.New("mops.index_by: key must be a string")
	}
	cache := cacheOf(bctx)
	ck := indexKey{arr, string(k)}
	if cache != nil {
		cache.mu.Lock()
		t := cache.indexes[ck]
		cache.mu.Unlock()
		if t != nil {
			return t, nil
		}
	}
	obj := ast.NewObjectWithCapacity(arr.Len())
	keyTerm := ast.StringTerm(string(k))
	arr.Foreach(func(item *ast.Term) {
		o, ok := item.Value.(ast.Object)
		if !ok {
			return
		}
		v := o.Get(keyTerm)
		if v == nil {
			return
		}
		if _, ok := v.Value.(ast.String); !ok || obj.Get(v) != nil {
			return
		}
		obj.Insert(v, item)
	})
	t := ast.NewTerm(obj)
	if cache != nil {
		cache.mu.Lock()
		if len(cache.indexes) < maxCached {
			cache.indexes[ck] = t
		}
		cache.mu.Unlock()
	}
	return t, nil
}

func builtinTemplateMatch(bctx rego.BuiltinContext, spec, taxonomies, text, transform *ast.Term) (*ast.Term, error) {
	so, ok := spec.Value.(ast.Object)
	if !ok {
		return nil, errors.New("mops.template_match: convention must be an object")
	}
	to, ok := taxonomies.Value.(ast.Object)
	if !ok {
		return nil, errors.New("mops.template_match: taxonomies must be an object")
	}
	s, ok := text.Value.(ast.String)
	if !ok {
		return nil, errors.New("mops.template_match: text must be a string")
	}
	tr, _ := transform.Value.(ast.String)
	conv, err := conventionFor(bctx, so, to, string(tr))
	if err != nil {
		return nil, fmt.Errorf("mops.template_match: %w", err)
	}
	return matchTerm(conv.Check(string(s))), nil
}

// conventionFor returns the compiled convention of spec over taxonomies
// with transform, from the run's cache when it was compiled before.
func conventionFor(bctx rego.BuiltinContext, spec, taxonomies ast.Object, transform string) (*Convention, error) {
	var fold, upper bool
	switch transform {
	case "", "none":
	case "lower":
		fold = true
	case "upper":
		fold, upper = true, true
	default:
		return nil, fmt.Errorf("unknown transform %q (want \"\", \"lower\" or \"upper\")", transform)
	}
	var conv *Convention
	cache := cacheOf(bctx)
	key := conventionKey{spec, taxonomies, fold, upper}
	if cache != nil {
		cache.mu.Lock()
		conv = cache.conventions[key]
		cache.mu.Unlock()
	}
	if conv == nil {
		conv = compileConvention(spec, taxonomies, fold)
		conv.upper = upper
		if cache != nil {
			cache.mu.Lock()
			if len(cache.conventions) < maxCached {
				cache.conventions[key] = conv
			}
			cache.mu.Unlock()
		}
	}
	return conv, nil
}

// compileConvention reads a NamingConvention spec held as Rego values.
func compileConvention(spec, taxonomies ast.Object, fold bool) *Convention {
	template := stringAt(spec, "template")
	maxLength := intAt(spec, "maxLength")
	tokens := map[string]TokenRule{}
	if tt, ok := get(spec, "tokens").(ast.Object); ok {
		tt.Foreach(func(k, v *ast.Term) {
			name, ok := k.Value.(ast.String)
			obj, isObj := v.Value.(ast.Object)
			if !ok || !isObj {
				return
			}
			rule := TokenRule{
				Pattern:   stringAt(obj, "pattern"),
				Taxonomy:  stringAt(obj, "taxonomy"),
				MaxLength: intAt(obj, "maxLength"),
			}
			if enum, ok := get(obj, "enum").(*ast.Array); ok {
				enum.Foreach(func(t *ast.Term) {
					if s, ok := t.Value.(ast.String); ok {
						rule.Enum = append(rule.Enum, string(s))
					}
				})
			}
			if rule.Taxonomy != "" {
				taxonomyValues(&rule, taxonomies)
			}
			tokens[string(name)] = rule
		})
	}
	return NewConvention(template, tokens, maxLength, fold)
}

// taxonomyValues fills a token's active and deprecated values from the
// Taxonomy document it names.
func taxonomyValues(rule *TokenRule, taxonomies ast.Object) {
	doc, ok := get(taxonomies, rule.Taxonomy).(ast.Object)
	if !ok {
		rule.TaxonomyMissing = true
		return
	}
	spec, _ := get(doc, "spec").(ast.Object)
	values, _ := get(spec, "values").(*ast.Array)
	if values == nil {
		return
	}
	rule.Deprecated = map[string]string{}
	values.Foreach(func(t *ast.Term) {
		v, ok := t.Value.(ast.Object)
		if !ok {
			return
		}
		name := stringAt(v, "value")
		if name == "" {
			return
		}
		if b, _ := get(v, "deprecated").(ast.Boolean); b {
			rule.Deprecated[name] = stringAt(v, "replacedBy")
			return
		}
		rule.Values = append(rule.Values, name)
	})
}

func get(o ast.Object, key string) ast.Value {
	if o == nil {
		return nil
	}
	if t := o.Get(ast.StringTerm(key)); t != nil {
		return t.Value
	}
	return nil
}

func stringAt(o ast.Object, key string) string {
	s, _ := get(o, key).(ast.String)
	return string(s)
}

func intAt(o ast.Object, key string) int {
	n, ok := get(o, key).(ast.Number)
	if !ok {
		return 0
	}
	i, ok := n.Int()
	if !ok {
		return 0
	}
	return i
}

func matchTerm(m Match) *ast.Term {
	tokens := ast.NewObject()
	for k, v := range m.Tokens {
		tokens.Insert(ast.StringTerm(k), ast.StringTerm(v))
	}
	problems := make([]*ast.Term, 0, len(m.Problems))
	for _, p := range m.Problems {
		allowed := make([]*ast.Term, 0, len(p.Allowed))
		for _, a := range p.Allowed {
			allowed = append(allowed, ast.StringTerm(a))
		}
		problems = append(problems, ast.ObjectTerm(
			ast.Item(ast.StringTerm("token"), ast.StringTerm(p.Token)),
			ast.Item(ast.StringTerm("text"), ast.StringTerm(p.Text)),
			ast.Item(ast.StringTerm("reason"), ast.StringTerm(p.Reason)),
			ast.Item(ast.StringTerm("allowed"), ast.ArrayTerm(allowed...)),
			ast.Item(ast.StringTerm("suggestion"), ast.StringTerm(p.Suggestion)),
			ast.Item(ast.StringTerm("message"), ast.StringTerm(p.Message)),
		))
	}
	return ast.ObjectTerm(
		ast.Item(ast.StringTerm("ok"), ast.BooleanTerm(m.OK)),
		ast.Item(ast.StringTerm("tokens"), ast.NewTerm(tokens)),
		ast.Item(ast.StringTerm("problems"), ast.ArrayTerm(problems...)),
	)
}
