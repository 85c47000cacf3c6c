package schema

import (
	"maps"
	"strings"
)

// annotations are the keywords that may stand beside a $ref without
// changing what it validates; a $ref with only these beside it can be
// replaced by its target.
var annotations = map[string]bool{
	"$ref": true, "$comment": true, "title": true, "description": true,
	"examples": true, "default": true, "deprecated": true,
	"readOnly": true, "writeOnly": true,
}

// inliner copies schema documents with their $refs to definitions replaced
// by the definitions themselves. The validator then walks one schema node
// per document node instead of two (jsonschema/v5 allocates scope, closures
// and property bookkeeping for every node it enters, and a $ref is a node
// of its own), which makes the schema check about a third cheaper. What is
// validated does not change: only refs whose target is a plain subschema
// and whose siblings are annotations are inlined; a recursive definition,
// a whole-file ref or a ref beside other keywords stays a ref, rewritten
// to an absolute URL so it still resolves from wherever it now stands.
type inliner struct {
	// raw holds every schema file as parsed JSON by its absolute URL.
	raw map[string]any
}

// file returns the inlined copy of the schema file at url.
func (in inliner) file(url string) any {
	return in.node(in.raw[url], url+"#", nil)
}

// node copies n, found in the document at base ("…/x.schema.json#"),
// inlining refs. stack holds the absolute URLs of the definitions being
// inlined, to leave recursion alone.
func (in inliner) node(n any, base string, stack []string) any {
	switch n := n.(type) {
	case map[string]any:
		if ref, ok := n["$ref"].(string); ok {
			return in.ref(n, ref, base, stack)
		}
		out := make(map[string]any, len(n))
		for k, v := range n {
			switch k {
			case "const", "enum", "examples", "default":
				out[k] = v // values, not schemas
			case "properties", "patternProperties", "$defs", "dependentSchemas":
				// names (which may be any word, "default" included) to schemas
				named, _ := v.(map[string]any)
				m := make(map[string]any, len(named))
				for name, sch := range named {
					m[name] = in.node(sch, base, stack)
				}
				out[k] = m
			default:
				out[k] = in.node(v, base, stack)
			}
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = in.node(v, base, stack)
		}
		return out
	}
	return n
}

func (in inliner) ref(n map[string]any, ref, base string, stack []string) any {
	abs := resolveRef(base, ref)
	file, frag, _ := strings.Cut(abs, "#")
	target, isMap := (&Validator{raw: in.raw}).subschema(abs).(map[string]any)
	keep := frag == "" || !isMap || containsString(stack, abs)
	for k := range n {
		if !annotations[k] {
			keep = true
		}
	}
	if keep {
		out := maps.Clone(n)
		out["$ref"] = abs
		return out
	}
	out, _ := in.node(target, file+"#", append(stack, abs)).(map[string]any)
	for k, v := range n {
		if k != "$ref" {
			out[k] = v // the referrer's own description wins
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
