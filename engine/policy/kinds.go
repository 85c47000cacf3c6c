package policy

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// kindFilter says which kinds of document a deny or warn rule can apply
// to: the kinds in only (any kind when only is nil), minus those in except.
type kindFilter struct {
	only   map[string]bool
	except map[string]bool
}

func (f kindFilter) allows(kind string) bool {
	if f.except[kind] {
		return false
	}
	return f.only == nil || f.only[kind]
}

// union is a filter allowing what either allows.
func (f kindFilter) union(g kindFilter) kindFilter {
	if f.only != nil && g.only != nil {
		out := kindFilter{only: map[string]bool{}}
		for _, h := range []kindFilter{f, g} {
			for k := range h.only {
				if h.allows(k) {
					out.only[k] = true
				}
			}
		}
		return out
	}
	// Any kind, except those neither allows.
	out := kindFilter{except: map[string]bool{}}
	for _, h := range []kindFilter{f, g} {
		for k := range h.except {
			if !f.allows(k) && !g.allows(k) {
				out.except[k] = true
			}
		}
	}
	return out
}

var inputKind = ast.MustParseRef("input.kind")

// ruleKinds reads which kinds a rule can apply to from the top-level
// expressions of its body: input.kind == "K", input.kind != "K", and
// input.kind in {"K", ...}. A rule with none of them applies to any kind.
func ruleKinds(rule *ast.Rule) kindFilter {
	f := kindFilter{except: map[string]bool{}}
	aliases := map[ast.Var]bool{}
	isKind := func(t *ast.Term) bool {
		if r, ok := t.Value.(ast.Ref); ok {
			return r.Equal(inputKind)
		}
		v, ok := t.Value.(ast.Var)
		return ok && aliases[v]
	}
	restrict := func(kinds []string) {
		set := map[string]bool{}
		for _, k := range kinds {
			if f.only == nil || f.only[k] {
				set[k] = true
			}
		}
		f.only = set
	}
	for _, e := range rule.Body {
		if e.Negated || len(e.With) > 0 || !e.IsCall() {
			continue
		}
		ops := e.Operands()
		if len(ops) != 2 {
			continue
		}
		name := e.Operator().String()
		switch name {
		case "eq", "equal", "neq":
			a, b := ops[0], ops[1]
			if !isKind(a) {
				a, b = b, a
			}
			if !isKind(a) {
				continue
			}
			if v, ok := b.Value.(ast.Var); ok && name == "eq" {
				aliases[v] = true // __local__ = input.kind
				continue
			}
			s, ok := b.Value.(ast.String)
			if !ok {
				continue
			}
			if name == "neq" {
				f.except[string(s)] = true
			} else {
				restrict([]string{string(s)})
			}
		case "internal.member_2":
			if !isKind(ops[0]) {
				continue
			}
			var kinds []string
			ok := true
			collect := func(t *ast.Term) {
				if s, isStr := t.Value.(ast.String); isStr {
					kinds = append(kinds, string(s))
				} else {
					ok = false
				}
			}
			switch c := ops[1].Value.(type) {
			case ast.Set:
				c.Foreach(collect)
			case *ast.Array:
				c.Foreach(collect)
			default:
				ok = false
			}
			if ok {
				restrict(kinds)
			}
		}
	}
	return f
}
