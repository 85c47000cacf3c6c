package policy

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/mops-dev/mops/engine/model"
)

// indexesKind reports whether any compiled policy may read documents of
// kind k through input.index. Campaigns are most of a large repository;
// when no policy reads them from the index, each campaign is converted to
// Rego values only while it is evaluated, instead of all of them living in
// the index for the whole run.
//
// A policy reads kind k when it refers to input.index.<k>, to
// input.index[<non-constant>], calls object.get(input.index, <k or
// non-constant>, ...), or uses input.index as a whole in any other way.
//
// It reads the parsed modules: compilation rewrites call arguments into
// local variables, which would hide the kind an object.get names.
func indexesKind(mods map[string]*ast.Module, k model.Kind) bool {
	index := ast.MustParseRef("input.index")
	kind := ast.String(string(k))
	reads := func(t *ast.Term) bool {
		if t == nil {
			return true
		}
		s, ok := t.Value.(ast.String)
		return !ok || s == kind
	}
	found := false
	for _, m := range mods {
		handled := map[*ast.Term]bool{}
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			if !e.IsCall() {
				return false
			}
			terms := e.Operands()
			if e.Operator().String() == "object.get" && len(terms) >= 2 {
				if r, ok := terms[0].Value.(ast.Ref); ok && r.Equal(index) {
					handled[terms[0]] = true
					found = found || reads(terms[1])
				}
			}
			return false
		})
		ast.WalkTerms(m, func(t *ast.Term) bool {
			if call, ok := t.Value.(ast.Call); ok && len(call) >= 3 && call[0].String() == "object.get" {
				if r, ok := call[1].Value.(ast.Ref); ok && r.Equal(index) {
					handled[call[1]] = true
					found = found || reads(call[2])
				}
				return false
			}
			r, ok := t.Value.(ast.Ref)
			if !ok || !r.HasPrefix(index) || handled[t] {
				return false
			}
			if len(r) == len(index) {
				found = true // the whole index, e.g. some k, v in input.index
			} else {
				found = found || reads(r[len(index)])
			}
			return false
		})
		if found {
			return true
		}
	}
	return false
}
