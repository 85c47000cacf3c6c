package semdiff

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// The helpers below read Document.Value trees: map[string]any, []any,
// string, bool, int64, float64 and nil.

// get walks keys through nested maps; nil when any step is missing.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// str returns v as a string: strings as they are, numbers and booleans
// formatted, anything else empty.
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return ""
}

// truthy reports whether v is the boolean true.
func truthy(v any) bool {
	b, _ := v.(bool)
	return b
}

// list returns v as a list, or nil.
func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// mapping returns v as a map, or nil.
func mapping(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// strs returns the string form of every item of the list v.
func strs(v any) []string {
	var out []string
	for _, x := range list(v) {
		out = append(out, str(x))
	}
	return out
}

// equal compares two values deeply.
func equal(a, b any) bool { return reflect.DeepEqual(a, b) }

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// setDiff returns the items of after missing from before (added) and the
// items of before missing from after (removed), each in its list's order.
func setDiff(before, after []string) (added, removed []string) {
	for _, s := range after {
		if !slices.Contains(before, s) {
			added = append(added, s)
		}
	}
	for _, s := range before {
		if !slices.Contains(after, s) {
			removed = append(removed, s)
		}
	}
	return added, removed
}

// quote shows a text value in a sentence: 'Paid Search'.
func quote(s string) string { return "'" + s + "'" }

// maxShown bounds how much of one value a sentence shows.
const maxShown = 80

// show renders any value compactly for a sentence: scalars as text,
// lists as [a, b], maps as {k: v}, nil as (none). Long texts are cut.
func show(v any) string {
	s := showFull(v)
	if r := []rune(s); len(r) > maxShown {
		return string(r[:maxShown-1]) + "…"
	}
	return s
}

func showFull(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		return quote(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = showFull(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range sortedKeys(x) {
			parts = append(parts, k+": "+showFull(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	if s := str(v); s != "" {
		return s
	}
	return fmt.Sprint(v)
}

// joinQuoted renders names as 'a', 'b' and 'c'.
func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// path builds a dotted path from a prefix and segments: path("spec",
// "values", 3, "label") is spec.values[3].label.
func path(prefix string, segs ...any) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, s := range segs {
		switch x := s.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", x)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, x)
		}
	}
	return b.String()
}

// joinPlain renders items as a, b and c.
func joinPlain(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
