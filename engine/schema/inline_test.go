package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/source"
)

// TestInliningKeepsFindings checks that the inlined schemas the validator
// compiles judge documents exactly as the schema files do: the example
// repository and every broken fixture, each document also mutated at every
// field (wrong type, empty, removed, an unknown field beside it), must get
// the same findings, worded the same, from both.
func TestInliningKeepsFindings(t *testing.T) {
	inlined, err := compile(true)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := compile(false)
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{"../../examples/acme"}
	broken, _ := filepath.Glob("../cli/testdata/broken/*")
	dirs = append(dirs, broken...)
	var docs, mutants, failing int
	for _, dir := range dirs {
		b, _, err := load.Load(os.DirFS(dir), load.Options{})
		if err != nil {
			t.Fatal(err)
		}
		all := b.Docs
		if b.Project != nil {
			all = append(all, b.Project)
		}
		for _, d := range all {
			docs++
			for _, value := range append([]map[string]any{d.Value}, mutate(d.Value)...) {
				mutants++
				m := *d
				m.Value = value
				want, got := plain.Validate(&m), inlined.Validate(&m)
				source.Sort(want)
				source.Sort(got)
				if len(want) > 0 {
					failing++
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("%s %s: inlined schemas judge a variant differently (-files +inlined):\n%s", dir, d.Key(), diff)
				}
			}
		}
	}
	// Guard the test itself: it must have seen many documents and many
	// violations, or it proves nothing.
	if docs < 50 || failing < mutants/2 {
		t.Fatalf("checked %d documents, %d variants, only %d with findings", docs, mutants, failing)
	}
	t.Logf("%d documents, %d variants, %d with findings: same findings", docs, mutants, failing)
}

// TestInliningRemovesRefs checks the point of inlining: the kind schemas
// the validator walks hold no $ref to a plain definition.
func TestInliningRemovesRefs(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	var walk func(n any)
	walk = func(n any) {
		switch n := n.(type) {
		case map[string]any:
			if r, ok := n["$ref"].(string); ok {
				refs = append(refs, r)
			}
			for _, c := range n {
				walk(c)
			}
		case []any:
			for _, c := range n {
				walk(c)
			}
		}
	}
	walk(v.raw[BaseURL+"campaign.schema.json"])
	if len(refs) > 0 {
		t.Errorf("campaign schema still refers to %s", strings.Join(refs, ", "))
	}
}

// mutate returns variants of v, each broken at one place.
func mutate(v map[string]any) []map[string]any {
	var out []map[string]any
	var walk func(path []string, n any)
	walk = func(path []string, n any) {
		m, ok := n.(map[string]any)
		if ok {
			out = append(out, edit(v, path, func(any) any {
				c := copyValue(m).(map[string]any)
				c["bogusField"] = "x"
				return c
			}))
			for k, c := range m {
				p := append(append([]string(nil), path...), k)
				out = append(out,
					edit(v, p, func(any) any { return int64(12345) }),
					edit(v, p, func(any) any { return "" }),
					edit(v, p, func(any) any { return deleted{} }),
				)
				walk(p, c)
			}
		}
		if l, ok := n.([]any); ok && len(l) > 0 {
			p := append(append([]string(nil), path...), "0")
			out = append(out, edit(v, p, func(any) any { return map[string]any{} }))
			walk(p, l[0])
		}
	}
	walk(nil, v)
	return out
}

// deleted marks a field to remove.
type deleted struct{}

// edit returns a deep copy of v with the value at path replaced by f's.
func edit(v map[string]any, path []string, f func(any) any) map[string]any {
	root := copyValue(v).(map[string]any)
	if len(path) == 0 {
		return f(root).(map[string]any)
	}
	var parent any = root
	for _, seg := range path[:len(path)-1] {
		parent = child(parent, seg)
	}
	last := path[len(path)-1]
	switch p := parent.(type) {
	case map[string]any:
		if r := f(p[last]); r == (deleted{}) {
			delete(p, last)
		} else {
			p[last] = r
		}
	case []any:
		if r := f(p[0]); r != (deleted{}) {
			p[0] = r
		}
	}
	return root
}

func child(n any, seg string) any {
	switch n := n.(type) {
	case map[string]any:
		return n[seg]
	case []any:
		return n[0]
	}
	return nil
}

func copyValue(n any) any {
	switch n := n.(type) {
	case map[string]any:
		out := make(map[string]any, len(n))
		for k, v := range n {
			out[k] = copyValue(v)
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = copyValue(v)
		}
		return out
	}
	return n
}
