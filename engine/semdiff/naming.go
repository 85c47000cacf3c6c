package semdiff

import (
	"fmt"
	"strings"
)

// diffNaming compares a naming convention: template, tokens (added,
// removed, and each rule of a token), the fields it applies to and the
// maximum length.
func diffNaming(d *differ) {
	base, head := d.spec()
	if a, b := base["template"], head["template"]; !equal(a, b) {
		d.add(Change{Op: "naming.template.changed", Action: Changed, Path: "spec.template", Before: a, After: b,
			Message: d.sentence("template changed from %s to %s", show(a), show(b))})
	}
	bt, ht := mapping(base["tokens"]), mapping(head["tokens"])
	for _, name := range sortedKeys(ht) {
		p := path("spec.tokens", name)
		b, ok := bt[name]
		if !ok {
			d.add(Change{Op: "token.added", Action: Added, Subject: name, Path: p, After: ht[name],
				Message: d.sentence("token {%s} added: %s", name, tokenRule(mapping(ht[name])))})
			continue
		}
		diffToken(d, name, mapping(b), mapping(ht[name]))
	}
	for _, name := range sortedKeys(bt) {
		if _, ok := ht[name]; !ok {
			d.add(Change{Op: "token.removed", Action: Removed, Subject: name, Path: path("spec.tokens", name), Before: bt[name],
				Message: d.sentence("token {%s} removed (was %s)", name, tokenRule(mapping(bt[name])))})
		}
	}
	diffAppliesTo(d, base["appliesTo"], head["appliesTo"])
	diffDerived(d, base["derived"], head["derived"])
	if a, b := base["maxLength"], head["maxLength"]; !equal(a, b) {
		d.add(Change{Op: "naming.maxLength.changed", Action: Changed, Path: "spec.maxLength", Before: a, After: b,
			Message: d.sentence("maximum length changed from %s to %s", show(a), show(b))})
	}
}

// diffToken compares the rules of one token: each of pattern, enum,
// taxonomy and maxLength that differs is a token.changed.
func diffToken(d *differ, name string, base, head map[string]any) {
	for _, f := range unionKeys(base, head) {
		a, b := base[f], head[f]
		if equal(a, b) {
			continue
		}
		msg := d.sentence("token {%s} %s changed from %s to %s", name, f, show(a), show(b))
		if f == "enum" && a != nil && b != nil {
			added, removed := setDiff(strs(a), strs(b))
			var parts []string
			if len(added) > 0 {
				parts = append(parts, "now allows "+joinQuoted(added))
			}
			if len(removed) > 0 {
				parts = append(parts, "no longer allows "+joinQuoted(removed))
			}
			if len(parts) == 0 {
				parts = append(parts, "enum reordered")
			}
			msg = d.sentence("token {%s} %s", name, strings.Join(parts, " and "))
		}
		d.add(Change{Op: "token.changed", Action: Changed, Subject: name, Path: path("spec.tokens", name, f), Before: a, After: b, Message: msg})
	}
}

// tokenRule describes a token's rule in words.
func tokenRule(m map[string]any) string {
	var parts []string
	if p := str(m["pattern"]); p != "" {
		parts = append(parts, "pattern "+quote(p))
	}
	if e := strs(m["enum"]); len(e) > 0 {
		parts = append(parts, "one of "+strings.Join(e, ", "))
	}
	if t := str(m["taxonomy"]); t != "" {
		parts = append(parts, "a value of taxonomy "+t)
	}
	if l := str(m["maxLength"]); l != "" {
		parts = append(parts, "at most "+l+" characters")
	}
	if len(parts) == 0 {
		return "any text"
	}
	return strings.Join(parts, ", ")
}

// diffAppliesTo compares the fields a convention applies to, each keyed by
// kind and field.
func diffAppliesTo(d *differ, base, head any) {
	describe := func(m map[string]any) string {
		if t := str(m["transform"]); t != "" {
			return fmt.Sprintf("%s %s (transform %s)", str(m["kind"]), str(m["field"]), t)
		}
		return str(m["kind"]) + " " + str(m["field"])
	}
	diffTargets(d, targetList{path: "spec.appliesTo", op: "naming.appliesTo", verb: "applies to", describe: describe}, base, head)
}

// diffDerived compares the derived fields (spec.derived), each keyed by
// kind and field.
func diffDerived(d *differ, base, head any) {
	describe := func(m map[string]any) string {
		how := "from " + str(m["from"])
		if t := str(m["template"]); t != "" {
			how += " through template " + t
		}
		if t := str(m["transform"]); t != "" {
			how += " in " + t + " case"
		}
		return fmt.Sprintf("%s %s %s", str(m["kind"]), str(m["field"]), how)
	}
	diffTargets(d, targetList{path: "spec.derived", op: "naming.derived", verb: "derives", describe: describe}, base, head)
}

// targetList is a list of a convention's fields keyed by kind and field:
// where it sits, its change op prefix, the verb of its sentences and how
// one entry reads.
type targetList struct {
	path, op, verb string
	describe       func(map[string]any) string
}

// diffTargets reports the entries of a targetList added, changed and
// removed between base and head.
func diffTargets(d *differ, l targetList, base, head any) {
	target := func(m map[string]any) string { return str(m["kind"]) + " " + str(m["field"]) }
	index := func(v any) map[string]int {
		idx := map[string]int{}
		for i, x := range list(v) {
			if _, dup := idx[target(mapping(x))]; !dup {
				idx[target(mapping(x))] = i
			}
		}
		return idx
	}
	bi, hi := index(base), index(head)
	for i, x := range list(head) {
		m := mapping(x)
		k := target(m)
		if hi[k] != i {
			continue
		}
		j, ok := bi[k]
		p := path(l.path, i)
		switch {
		case !ok:
			d.add(Change{Op: Op(l.op + ".added"), Action: Added, Subject: k, Path: p, After: m,
				Message: d.sentence("now %s %s", l.verb, l.describe(m))})
		case !equal(list(base)[j], x):
			bm := mapping(list(base)[j])
			d.add(Change{Op: Op(l.op + ".changed"), Action: Changed, Subject: k, Path: p, Before: bm, After: m,
				Message: d.sentence("%s %s instead of %s", l.verb, l.describe(m), l.describe(bm))})
		}
	}
	for i, x := range list(base) {
		m := mapping(x)
		k := target(m)
		if _, ok := hi[k]; !ok && bi[k] == i {
			d.add(Change{Op: Op(l.op + ".removed"), Action: Removed, Subject: k, Path: path(l.path, i), Before: m,
				Message: d.sentence("no longer %s %s", l.verb, l.describe(m))})
		}
	}
}
