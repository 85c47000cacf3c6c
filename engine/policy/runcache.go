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

// constTrie holds the paths of the run-constant rules and functions. A
// leaf is one rule or function; the values a worker caches for it hang
// off its leaf (sharedCache), so a lookup walks the rule's path once.
type constTrie struct {
	steps
	leaf bool
}

// steps are a trie node's children: by string (strings and vars, the
// steps of rule paths and most arguments, looked up without hashing an
// interface) and by any other cacheable key.
type steps struct {
	strs  map[string]*constTrie
	other map[any]*constTrie
}

// stepKey is the string key of a string or var step; vars are marked so
// that the var data never meets the string "data".
func stepKey(v ast.Value) (string, bool) {
	switch v := v.(type) {
	case ast.String:
		return string(v), true
	case ast.Var:
		return "\x00" + string(v), true
	}
	return "", false
}

func (t *constTrie) child(v ast.Value) *constTrie {
	if s, ok := stepKey(v); ok {
		return t.strs[s]
	}
	k, ok := cacheableKey(v)
	if !ok {
		return nil
	}
	return t.other[k]
}

func (t *constTrie) add(ref ast.Ref) {
	n := t
	for _, term := range ref {
		next := n.child(term.Value)
		if next == nil {
			next = &constTrie{}
			if s, ok := stepKey(term.Value); ok {
				if n.strs == nil {
					n.strs = map[string]*constTrie{}
				}
				n.strs[s] = next
			} else if k, ok := cacheableKey(term.Value); ok {
				if n.other == nil {
					n.other = map[any]*constTrie{}
				}
				n.other[k] = next
			} else {
				return
			}
		}
		n = next
	}
	n.leaf = true
}

// leafOf returns the run-constant rule whose path begins ref (nil when
// none does) and where the rest of ref begins: ref[rest:] keys its values
// (a function's arguments, a key into a rule's value).
func (t *constTrie) leafOf(ref ast.Ref) (leaf *constTrie, rest int) {
	n := t
	for i, term := range ref {
		if head, ok := term.Value.(ast.Ref); ok && i == 0 {
			// A function call's key: the function's ref, then the
			// arguments. Only the function's whole ref is its leaf (the
			// arguments key its values, which another leaf's must not).
			for j, h := range head {
				if n = n.child(h.Value); n == nil {
					return nil, 0
				}
				if n.leaf {
					if j == len(head)-1 {
						return n, 1
					}
					return nil, 0
				}
			}
			return nil, 0
		}
		if n = n.child(term.Value); n == nil {
			return nil, 0
		}
		if n.leaf {
			return n, i + 1
		}
	}
	return nil, 0
}

// covers reports whether a prefix of key is a run-constant rule.
func (t *constTrie) covers(key ast.Ref) bool {
	leaf, _ := t.leafOf(key)
	return leaf != nil
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
	lasting, probation valueTable
	// funcs remembers, by the ref term of a function call, the function's
	// leaf (nil: not run-constant): calls of one function share the term.
	funcs map[*ast.Term]*constTrie
}

// maxProbation bounds the values on probation.
const maxProbation = 4096

// leafOf is consts.leafOf, remembering function calls' leaves.
func (s *sharedCache) leafOf(consts *constTrie, ref ast.Ref) (*constTrie, int) {
	if len(ref) == 0 {
		return nil, 0
	}
	if _, ok := ref[0].Value.(ast.Ref); !ok {
		return consts.leafOf(ref)
	}
	if leaf, ok := s.funcs[ref[0]]; ok {
		if leaf == nil {
			return nil, 0
		}
		return leaf, 1
	}
	leaf, rest := consts.leafOf(ref)
	if s.funcs == nil {
		s.funcs = map[*ast.Term]*constTrie{}
	}
	s.funcs[ref[0]] = leaf
	return leaf, rest
}

func (s *sharedCache) get(leaf *constTrie, key ast.Ref) (*ast.Term, bool, bool) {
	if v, undefined, ok := s.lasting.get(leaf, key); ok {
		return v, undefined, ok
	}
	v, undefined, ok := s.probation.get(leaf, key)
	if ok && s.lasting.size < maxShared {
		s.lasting.put(leaf, key, v) // reused: it lasts
	}
	return v, undefined, ok
}

func (s *sharedCache) put(leaf *constTrie, key ast.Ref, v *ast.Term) bool {
	if s.lasting.size >= maxShared {
		return false
	}
	if s.probation.size >= maxProbation {
		s.probation = valueTable{}
	}
	return s.probation.put(leaf, key, v)
}

// valueTable holds values by rule (leaf) and the terms of their keys.
type valueTable struct {
	roots map[*constTrie]*cacheNode
	size  int
}

type cacheNode struct {
	strs      map[string]*cacheNode
	other     map[any]*cacheNode
	value     *ast.Term
	set       bool // value (or undefined) recorded
	undefined bool
}

func (n *cacheNode) child(v ast.Value, add bool) *cacheNode {
	if s, ok := stepKey(v); ok {
		c := n.strs[s]
		if c == nil && add {
			if n.strs == nil {
				n.strs = map[string]*cacheNode{}
			}
			c = &cacheNode{}
			n.strs[s] = c
		}
		return c
	}
	k, ok := cacheableKey(v)
	if !ok {
		return nil
	}
	c := n.other[k]
	if c == nil && add {
		if n.other == nil {
			n.other = map[any]*cacheNode{}
		}
		c = &cacheNode{}
		n.other[k] = c
	}
	return c
}

// maxShared bounds the lasting values of the shared cache.
const maxShared = 200_000

func (t *valueTable) get(leaf *constTrie, key ast.Ref) (*ast.Term, bool, bool) {
	n := t.roots[leaf]
	for _, term := range key {
		if n == nil {
			break
		}
		n = n.child(term.Value, false)
	}
	if n == nil {
		return nil, false, false
	}
	return n.value, n.undefined, n.set
}

func (t *valueTable) put(leaf *constTrie, key ast.Ref, v *ast.Term) bool {
	for _, term := range key {
		if _, ok := cacheableKey(term.Value); !ok {
			return false
		}
	}
	if t.roots == nil {
		t.roots = map[*constTrie]*cacheNode{}
	}
	n := t.roots[leaf]
	if n == nil {
		n = &cacheNode{}
		t.roots[leaf] = n
	}
	for _, term := range key {
		n = n.child(term.Value, true)
	}
	if !n.set {
		t.size++
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

// sharedLeaf returns the run-constant rule ref belongs to, when the shared
// cache holds its values, and where the rest of ref keys them.
func (c *runVirtualCache) sharedLeaf(ref ast.Ref) (*constTrie, int) {
	if c.depth > 0 {
		return nil, 0
	}
	return c.shared.leafOf(c.consts, ref)
}

func (c *runVirtualCache) Get(ref ast.Ref) (*ast.Term, bool) {
	if leaf, rest := c.sharedLeaf(ref); leaf != nil {
		if v, undefined, ok := c.shared.get(leaf, ref[rest:]); ok {
			return v, undefined
		}
	}
	return c.inner.Get(ref)
}

func (c *runVirtualCache) Put(ref ast.Ref, value *ast.Term) {
	if leaf, rest := c.sharedLeaf(ref); leaf != nil && c.shared.put(leaf, ref[rest:], value) {
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
