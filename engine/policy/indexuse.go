package policy

import (
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Campaigns are most of a large repository. The built-in policies never
// read them through input.index, so a run holds no campaign in the index
// and converts each one to Rego values only while it is evaluated: memory
// grows with the other documents, not with the campaigns. A repository
// policy may read other campaigns there (a budget shared across campaigns,
// a parent campaign); the engine then reads the compiled policies for
// which fields of a campaign they reach, and the index holds only those,
// projected, for every campaign. A policy that uses whole campaign
// objects (passes one to a function, compares one, iterates over its
// keys) makes the index hold every campaign whole: that is the fallback,
// and it costs memory in proportion to the repository (docs/policies.md).

// indexReads is what the policies read, through input.index, of the
// documents of one kind.
type indexReads struct {
	// names is set when a policy lists or looks up documents of the kind.
	names bool
	// whole is set when a policy reads whole documents, or in a way the
	// engine cannot follow.
	whole bool
	// fields are the fields read, when not whole.
	fields fieldSet
}

// none reports whether no policy reads the kind through input.index.
func (r indexReads) none() bool { return !r.names && !r.whole && len(r.fields) == 0 }

// fieldSet is a set of field paths, as a trie: a nil child is a field read
// whole.
type fieldSet map[string]fieldSet

func (s fieldSet) add(path []string) {
	n := s
	for i, p := range path {
		child, seen := n[p]
		switch {
		case seen && child == nil:
			return // a shorter path already takes the whole field
		case i == len(path)-1:
			n[p] = nil
			return
		case !seen:
			child = fieldSet{}
			n[p] = child
		}
		n = child
	}
}

// project returns the part of v that the fields cover.
func (s fieldSet) project(v map[string]any) map[string]any {
	out := make(map[string]any, len(s))
	for k, sub := range s {
		x, ok := v[k]
		if !ok {
			continue
		}
		if m, isMap := x.(map[string]any); isMap && sub != nil {
			out[k] = sub.project(m)
		} else if sub == nil {
			out[k] = x
		}
		// A path through a value that is not an object reaches nothing.
	}
	return out
}

func (s fieldSet) String() string {
	var paths []string
	var walk func(prefix string, n fieldSet)
	walk = func(prefix string, n fieldSet) {
		for _, k := range slices.Sorted(maps.Keys(n)) {
			if n[k] == nil {
				paths = append(paths, prefix+k)
			} else {
				walk(prefix+k+".", n[k])
			}
		}
	}
	walk("", s)
	return strings.Join(paths, ", ")
}

// what a term of a policy evaluates to, as far as reading the index goes.
type what int

const (
	other      what = iota
	wholeInput      // input
	indexAll        // input.index
	collection      // input.index.<kind>
	document        // input.index.<kind>[name]
)

// indexReader reads compiled policies for what they read of one kind
// through input.index. After compiling, every call's operands are plain
// terms and every `some ... in`, `:=` and nested call binds a local
// variable with `=`, so following variables through `=` within a rule is
// enough; anything else that touches the index counts as reading whole
// documents.
type indexReader struct {
	kind  ast.String
	reads indexReads
	vars  map[ast.Var]what
	// trusted is set for the built-in policies, which pass `input` whole
	// to their helpers to read the document from it, never its index.
	trusted bool
}

// indexReadsOf reads the compiled modules for what they read of kind
// through input.index: the built-in policies (builtin) and the
// repository's (repo).
func indexReadsOf(builtin, repo []*ast.Module, kind string) indexReads {
	r := &indexReader{kind: ast.String(kind), reads: indexReads{fields: fieldSet{}}}
	for i, m := range slices.Concat(builtin, repo) {
		r.trusted = i < len(builtin)
		for _, rule := range m.Rules {
			for x := rule; x != nil; x = x.Else {
				r.rule(x)
			}
		}
	}
	if r.reads.whole {
		r.reads.fields = nil
	}
	return r.reads
}

func (r *indexReader) rule(rule *ast.Rule) {
	r.vars = map[ast.Var]what{}
	// Bind variables until nothing changes: a binding may use a variable
	// bound further down (in a closure, say).
	for changed := true; changed; {
		changed = false
		ast.WalkExprs(rule.Body, func(e *ast.Expr) bool {
			changed = r.bind(e) || changed
			return false
		})
	}
	ast.WalkExprs(rule.Body, func(e *ast.Expr) bool {
		r.uses(e)
		return false
	})
	if rule.Head.Key != nil {
		r.use(rule.Head.Key, false)
	}
	if rule.Head.Value != nil {
		r.use(rule.Head.Value, false)
	}
}

// bind records the variable e binds to a part of the index, if any, and
// reports whether that is news.
func (r *indexReader) bind(e *ast.Expr) bool {
	if ev, ok := e.Terms.(*ast.Every); ok {
		if r.eval(ev.Domain) == collection {
			return r.set(ev.Value, document)
		}
		return false
	}
	if !e.IsCall() {
		return false
	}
	ops := e.Operands()
	switch op := e.Operator().String(); {
	case (op == ast.Equality.Name || op == ast.Assign.Name) && len(ops) == 2:
		if v, _, w := r.binding(ops); v != nil {
			return r.set(v, w)
		}
	case op == "object.get" && len(ops) == 4:
		if w, ok := r.objectGet(ops[0], ops[1]); ok && w != other {
			return r.set(ops[3], w)
		}
	}
	return false
}

// binding returns the variable that `=` with operands ops binds to a part
// of the index (and what it binds it to): a variable on one side, a
// reference on the other. Two variables are compared, not bound.
func (r *indexReader) binding(ops []*ast.Term) (*ast.Term, *ast.Term, what) {
	for i, side := range ops {
		to := ops[1-i]
		if _, isVar := side.Value.(ast.Var); !isVar {
			continue
		}
		if _, isRef := to.Value.(ast.Ref); !isRef {
			continue
		}
		if w := r.eval(to); w != other {
			return side, to, w
		}
	}
	return nil, nil, other
}

func (r *indexReader) set(t *ast.Term, w what) bool {
	v, ok := t.Value.(ast.Var)
	if !ok {
		return false
	}
	switch old, seen := r.vars[v]; {
	case !seen:
		r.vars[v] = w
		return true
	case old != w:
		r.reads.whole = true // bound to two things: not followed
	}
	return false
}

// uses records what e reads of the index.
func (r *indexReader) uses(e *ast.Expr) {
	for _, w := range e.With {
		r.use(w.Value, false) // the target is replaced, not read
	}
	switch t := e.Terms.(type) {
	case *ast.Term:
		r.use(t, true) // a test of truth: the value is not read
		return
	case *ast.Every:
		if r.eval(t.Domain) != collection {
			r.use(t.Domain, false)
		}
		return
	}
	if !e.IsCall() {
		return
	}
	ops := e.Operands()
	op := e.Operator().String()
	switch {
	case (op == ast.Equality.Name || op == ast.Assign.Name) && len(ops) == 2:
		if v, to, _ := r.binding(ops); v != nil {
			r.use(to, true)
			return
		}
	case op == "object.get" && len(ops) >= 3:
		if _, ok := r.objectGet(ops[0], ops[1]); ok {
			r.use(ops[2], false)
			return
		}
	case (op == "object.keys" || op == "count") && len(ops) >= 1:
		switch r.eval(ops[0]) {
		case collection:
			r.reads.names = true
			return
		case wholeInput:
			if op == "object.keys" {
				return // the names of the input's fields
			}
		}
	}
	for _, t := range ops {
		r.use(t, false)
	}
}

// objectGet reports what object.get(obj, key, _) returns when obj is a
// part of the index or the input, and false when it reads them in a way
// not followed (a computed key), which counts as reading whole documents.
func (r *indexReader) objectGet(obj, key *ast.Term) (what, bool) {
	w := r.eval(obj)
	if w == other {
		return other, false
	}
	var path []*ast.Term
	switch k := key.Value.(type) {
	case ast.String:
		path = []*ast.Term{key}
	case *ast.Array:
		for i := range k.Len() {
			path = append(path, k.Elem(i))
		}
	}
	if !key.IsGround() || path == nil {
		r.reads.whole = r.reads.whole || w != wholeInput || !r.trusted
		return other, true
	}
	return r.step(w, path), true
}

// eval tells what t evaluates to.
func (r *indexReader) eval(t *ast.Term) what {
	switch v := t.Value.(type) {
	case ast.Var:
		if v.Equal(ast.InputRootDocument.Value) {
			return wholeInput
		}
		return r.vars[v]
	case ast.Ref:
		w := r.eval(v[0])
		if w == other {
			return other
		}
		return r.step(w, v[1:])
	}
	return other
}

// step follows path from w, recording the fields read of a document.
func (r *indexReader) step(w what, path []*ast.Term) what {
	for i, t := range path {
		s, isString := t.Value.(ast.String)
		switch w {
		case wholeInput, indexAll:
			if !isString {
				r.reads.whole = true // input[x], input.index[x]
				return other
			}
			switch {
			case w == wholeInput && s == "index":
				w = indexAll
			case w == indexAll && s == r.kind:
				w = collection
			default:
				return other // a field of the document, or another kind
			}
		case collection:
			w = document
			r.reads.names = true
		case document:
			var fields []string
			for _, f := range path[i:] {
				s, ok := f.Value.(ast.String)
				if !ok {
					break
				}
				fields = append(fields, string(s))
			}
			if len(fields) == 0 {
				r.reads.whole = true // c[x]
			} else {
				r.reads.fields.add(fields)
			}
			return other
		}
	}
	return w
}

// use records what reading t's value reads of the index. truth is set
// when only whether t is defined matters (an expression on its own, the
// binding of a variable).
func (r *indexReader) use(t *ast.Term, truth bool) {
	switch v := t.Value.(type) {
	case ast.Var, ast.Ref:
		if ref, ok := v.(ast.Ref); ok {
			for _, k := range ref[1:] {
				r.use(k, false)
			}
		}
		if w := r.eval(t); w != other && !truth && (w != wholeInput || !r.trusted) {
			r.reads.whole = true // a part of the index used as a value
		}
	case ast.Call:
		for _, a := range v[1:] {
			r.use(a, false)
		}
	case *ast.Array:
		v.Foreach(func(x *ast.Term) { r.use(x, false) })
	case ast.Set:
		v.Foreach(func(x *ast.Term) { r.use(x, false) })
	case ast.Object:
		v.Foreach(func(k, x *ast.Term) { r.use(k, false); r.use(x, false) })
	case *ast.ArrayComprehension:
		r.use(v.Term, false)
	case *ast.SetComprehension:
		r.use(v.Term, false)
	case *ast.ObjectComprehension:
		r.use(v.Key, false)
		r.use(v.Value, false)
	}
}
