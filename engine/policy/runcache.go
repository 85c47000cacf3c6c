package policy

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Every document of a run sees the same input.index, input.project and
// input.today. A rule or function whose value depends on nothing else (no
// other part of input, no `with`) therefore has the same value for every
// document, and the engine computes it once per run instead of once per
// document: OPA's per-evaluation virtual cache is backed, for those rules,
// by a cache shared by the whole run. Which rules qualify is decided by
// reading the compiled policies (runConstants); a run of 10,000 campaigns
// then builds taxonomy lookups, the RACI role set and the like once.

// constTrie holds the paths of the run-constant rules and functions.
type constTrie struct {
	children map[any]*constTrie
	leaf     bool
}

func (t *constTrie) add(ref ast.Ref) {
	n := t
	for _, term := range ref {
		if n.children == nil {
			n.children = map[any]*constTrie{}
		}
		k, ok := cacheableKey(term.Value)
		if !ok {
			return
		}
		next := n.children[k]
		if next == nil {
			next = &constTrie{}
			n.children[k] = next
		}
		n = next
	}
	n.leaf = true
}

// covers reports whether a prefix of key is a run-constant rule.
func (t *constTrie) covers(key ast.Ref) bool {
	n := t
	ok := eachKeyTerm(key, func(v ast.Value) bool {
		if n.leaf {
			return false // found: stop
		}
		k, ok := cacheableKey(v)
		if !ok {
			n = nil
			return false
		}
		n = n.children[k]
		return n != nil
	})
	_ = ok
	return n != nil && n.leaf
}

// eachKeyTerm calls f with each term of a cache key, read as one ref: a
// function call's key is the function's ref (one term) followed by the
// arguments. It stops when f returns false, and reports whether it ran to
// the end.
func eachKeyTerm(key ast.Ref, f func(ast.Value) bool) bool {
	for i, term := range key {
		if head, ok := term.Value.(ast.Ref); ok && i == 0 {
			for _, h := range head {
				if !f(h.Value) {
					return false
				}
			}
			continue
		}
		if !f(term.Value) {
			return false
		}
	}
	return true
}

// cacheableKey returns v as a map key: scalars by value; arrays of a few
// scalars (a campaign's regions, say) by their text, so functions called
// with equal lists share one cached result across documents; other
// composite values by identity (a miss, never a wrong hit, for equal
// values held twice). Refs and calls are not keys.
func cacheableKey(v ast.Value) (any, bool) {
	switch v := v.(type) {
	case ast.String, ast.Number, ast.Boolean, ast.Null, ast.Var:
		return v, true
	case *ast.Array:
		if k, ok := smallArrayKey(v); ok {
			return k, true
		}
		return v, true
	case ast.Object, ast.Set:
		return v, true
	}
	return nil, false
}

// arrayKey is a small array of scalars as text; a type of its own, so it
// never equals a string key.
type arrayKey string

// maxArrayKey bounds the arrays keyed by value.
const maxArrayKey = 16

func smallArrayKey(a *ast.Array) (arrayKey, bool) {
	if a.Len() > maxArrayKey {
		return "", false
	}
	for i := range a.Len() {
		switch a.Elem(i).Value.(type) {
		case ast.String, ast.Number, ast.Boolean, ast.Null:
		default:
			return "", false
		}
	}
	return arrayKey(a.String()), true
}

// sharedCache is the run-wide part of the virtual cache: values of
// run-constant rules, and of run-constant functions by their arguments.
// It is not safe for concurrent use: each worker of a run keeps its own, so
// lookups take no lock (a constant is then computed once per worker).
//
// A function called with a document's own values (a campaign's name, its
// dates, its objects) adds an entry that no other document may ever use,
// and holds those values for the rest of the run: a run would grow with
// its documents. So a value enters on probation, in a table that is
// emptied when full, and moves to the lasting table on its first reuse.
type sharedCache struct {
	lasting, probation cacheTrie
}

// maxProbation bounds the values on probation.
const maxProbation = 4096

func (s *sharedCache) get(ref ast.Ref) (*ast.Term, bool, bool) {
	if v, undefined, ok := s.lasting.get(ref); ok {
		return v, undefined, ok
	}
	v, undefined, ok := s.probation.get(ref)
	if ok && s.lasting.size < maxShared {
		s.lasting.put(ref, v) // reused: it lasts
	}
	return v, undefined, ok
}

func (s *sharedCache) put(ref ast.Ref, v *ast.Term) bool {
	if s.lasting.size >= maxShared {
		return false
	}
	if s.probation.size >= maxProbation {
		s.probation = cacheTrie{}
	}
	return s.probation.put(ref, v)
}

// cacheTrie holds values by the terms of their keys.
type cacheTrie struct {
	root cacheNode
	size int
}

type cacheNode struct {
	children  map[any]*cacheNode
	value     *ast.Term
	set       bool // value (or undefined) recorded
	undefined bool
}

// maxShared bounds the lasting values of the shared cache.
const maxShared = 200_000

func (s *cacheTrie) get(ref ast.Ref) (*ast.Term, bool, bool) {
	n := &s.root
	if !eachKeyTerm(ref, func(v ast.Value) bool {
		k, ok := cacheableKey(v)
		if ok {
			n = n.children[k]
		}
		return ok && n != nil
	}) {
		return nil, false, false
	}
	return n.value, n.undefined, n.set
}

func (s *cacheTrie) put(ref ast.Ref, v *ast.Term) bool {
	n := &s.root
	if !eachKeyTerm(ref, func(v ast.Value) bool {
		k, ok := cacheableKey(v)
		if !ok {
			return false
		}
		if n.children == nil {
			n.children = map[any]*cacheNode{}
		}
		next := n.children[k]
		if next == nil {
			next = &cacheNode{}
			n.children[k] = next
		}
		n = next
		return true
	}) {
		return false
	}
	if !n.set {
		s.size++
	}
	n.value, n.undefined, n.set = v, v == nil, true
	return true
}

// runVirtualCache is one evaluation's virtual cache: OPA's own, except for
// run-constant refs outside any `with`, which go to the run's shared cache.
type runVirtualCache struct {
	inner  topdown.VirtualCache
	depth  int // `with` frames pushed
	consts *constTrie
	shared *sharedCache
}

var _ topdown.VirtualCache = (*runVirtualCache)(nil)

func newRunVirtualCache(consts *constTrie, shared *sharedCache) *runVirtualCache {
	return &runVirtualCache{inner: topdown.NewVirtualCache(), consts: consts, shared: shared}
}

func (c *runVirtualCache) Push() { c.depth++; c.inner.Push() }
func (c *runVirtualCache) Pop()  { c.depth--; c.inner.Pop() }

func (c *runVirtualCache) useShared(ref ast.Ref) bool {
	return c.depth == 0 && c.consts.covers(ref)
}

func (c *runVirtualCache) Get(ref ast.Ref) (*ast.Term, bool) {
	if c.useShared(ref) {
		if v, undefined, ok := c.shared.get(ref); ok {
			return v, undefined
		}
	}
	return c.inner.Get(ref)
}

func (c *runVirtualCache) Put(ref ast.Ref, value *ast.Term) {
	if c.useShared(ref) && c.shared.put(ref, value) {
		return
	}
	c.inner.Put(ref, value)
}

func (c *runVirtualCache) Keys() []ast.Ref { return c.inner.Keys() }

// runConstants finds the rules and functions whose values depend on no part
// of input but index, project and today: their bodies, else branches and
// heads read nothing else from input, use no `with`, and refer only to
// rules and functions that qualify too.
func runConstants(c *ast.Compiler) *constTrie {
	type info struct {
		path   ast.Ref
		rules  []*ast.Rule
		direct bool // reads the document itself, or uses with
		deps   []ast.Ref
	}
	byPath := map[string]*info{}
	var order []string
	for _, name := range sortedKeys(c.Modules) {
		for _, rule := range c.Modules[name].Rules {
			p := rule.Ref().GroundPrefix()
			k := p.String()
			in := byPath[k]
			if in == nil {
				in = &info{path: p}
				byPath[k] = in
				order = append(order, k)
			}
			in.rules = append(in.rules, rule)
			for r := rule; r != nil; r = r.Else {
				in.direct = in.direct || readsDocument(r)
				in.deps = append(in.deps, dataRefs(r)...)
			}
		}
	}
	tainted := map[string]bool{}
	for k, in := range byPath {
		if in.direct {
			tainted[k] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, k := range order {
			if tainted[k] {
				continue
			}
			for _, dep := range byPath[k].deps {
				if dependsOnTainted(c, dep, tainted) {
					tainted[k] = true
					changed = true
					break
				}
			}
		}
	}
	t := &constTrie{}
	for _, k := range order {
		if !tainted[k] {
			t.add(byPath[k].path)
		}
	}
	return t
}

func dependsOnTainted(c *ast.Compiler, ref ast.Ref, tainted map[string]bool) bool {
	for _, r := range c.GetRules(ref.GroundPrefix()) {
		if tainted[r.Ref().GroundPrefix().String()] {
			return true
		}
	}
	return false
}

// readsDocument reports whether rule reads input other than index, project
// and today, or uses `with`.
func readsDocument(rule *ast.Rule) bool {
	found := false
	var walk func(x any)
	visit := func(x any) bool {
		if found {
			return true
		}
		switch x := x.(type) {
		case *ast.Expr:
			if len(x.With) > 0 {
				found = true
			}
		case ast.Ref:
			if x[0].Equal(ast.InputRootDocument) && !sharedInputRef(x) {
				found = true
				return true
			}
			for _, t := range x[1:] {
				walk(t) // a ref's own terms may hold refs; its head is not input
			}
			return true
		case ast.Var:
			if x.Equal(ast.InputRootDocument.Value) {
				found = true // input as a whole, e.g. object.get(input, ...)
			}
		}
		return found
	}
	walk = func(x any) { ast.NewGenericVisitor(visit).Walk(x) }
	walk(rule.Head)
	walk(rule.Body)
	return found
}

// sharedInputRef reports whether ref reads a part of input that is the
// same for every document of a run.
func sharedInputRef(ref ast.Ref) bool {
	if len(ref) < 2 {
		return false
	}
	switch ref[1].Value {
	case ast.String(keyIndex), ast.String(keyProject), ast.String(keyToday):
		return true
	}
	return false
}

// dataRefs lists the data refs (rules, functions) rule uses.
func dataRefs(rule *ast.Rule) []ast.Ref {
	var out []ast.Ref
	visit := func(x any) bool {
		if r, ok := x.(ast.Ref); ok && r[0].Equal(ast.DefaultRootDocument) {
			out = append(out, r)
		}
		return false
	}
	ast.NewGenericVisitor(visit).Walk(rule.Head)
	ast.NewGenericVisitor(visit).Walk(rule.Body)
	return out
}
