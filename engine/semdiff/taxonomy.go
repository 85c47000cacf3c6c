package semdiff

import (
	"fmt"
	"strings"
)

// diffTaxonomy compares a picklist. Values are paired by their stored
// value, so a new label on the same value is a relabel, never a removal
// and an addition. A value removed while another with the same label is
// added is reported as one rename of the stored value.
func diffTaxonomy(d *differ) {
	base, head := d.spec()
	if a, b := base["label"], head["label"]; !equal(a, b) {
		d.add(Change{Op: "taxonomy.label.changed", Action: Changed, Path: "spec.label", Before: a, After: b,
			Message: fmt.Sprintf("%s: picklist label changed from %s to %s", d.head.Name, show(a), show(b))})
	}
	if a, b := base["valueCase"], head["valueCase"]; !equal(a, b) {
		d.add(Change{Op: "taxonomy.valueCase.changed", Action: Changed, Path: "spec.valueCase", Before: a, After: b,
			Message: d.sentence("value case changed from %s to %s", orDefault(a, "snake_case"), orDefault(b, "snake_case"))})
	}
	diffValues(d, base["values"], head["values"])
	diffBindings(d, base["bindings"], head["bindings"])
}

func orDefault(v any, def string) string {
	if s := str(v); s != "" {
		return s
	}
	return def + " (default)"
}

// valueName shows a taxonomy value by its label, falling back to the
// stored value.
func valueName(it item) string {
	if l := str(it.m["label"]); l != "" {
		return quote(l)
	}
	return quote(it.key)
}

func diffValues(d *differ, base, head any) {
	bo, bm := keyed(base, "value")
	ho, hm := keyed(head, "value")
	renamed := renames(bo, bm, ho, hm)
	for _, h := range ho {
		p := path("spec.values", h.index)
		b, ok := bm[h.key]
		if !ok {
			if old, ok := renamed[h.key]; ok {
				d.add(Change{Op: "value.renamed", Action: Changed, Subject: h.key, Path: path(p, "value"), Before: old.key, After: h.key,
					Message: d.sentence("%s stored value renamed from %s to %s; records holding %s must be migrated", valueName(h), old.key, h.key, old.key)})
				continue
			}
			msg := d.sentence("%s (%s) added at position %d", valueName(h), h.key, position(ho, h.key))
			if truthy(h.m["deprecated"]) {
				msg += fmt.Sprintf(", already deprecated in favour of %s", replacement(hm, h.m["replacedBy"]))
			}
			d.add(Change{Op: "value.added", Action: Added, Subject: h.key, Path: p, After: h.m, Message: msg})
			continue
		}
		diffValue(d, b, h, bm, hm)
	}
	movedKeys := moved(bo, ho, bm)
	for _, k := range movedKeys {
		h := hm[k]
		d.add(Change{Op: "value.reordered", Action: Changed, Subject: k, Path: path("spec.values", h.index),
			Before: int64(position(bo, k)), After: int64(position(ho, k)),
			Message: d.sentence("%s moved from position %d to %d", valueName(h), position(bo, k), position(ho, k))})
	}
	for _, b := range bo {
		if _, ok := hm[b.key]; ok || isRenamed(renamed, b.key) {
			continue
		}
		msg := d.sentence("%s (%s) removed", valueName(b), b.key)
		if truthy(b.m["deprecated"]) {
			msg += fmt.Sprintf(" (was deprecated in favour of %s)", replacement(bm, b.m["replacedBy"]))
		}
		d.add(Change{Op: "value.removed", Action: Removed, Subject: b.key, Path: path("spec.values", b.index), Before: b.m, Message: msg})
	}
}

// diffDeprecation reports an item at path p (a Taxonomy value or a
// LifecycleModel stage: op prefix kind, named in messages after noun)
// becoming deprecated, active again, or replaced by another.
func diffDeprecation(d *differ, kind, noun, p string, b, h item, base, head map[string]item) {
	wasDep, isDep := truthy(b.m["deprecated"]), truthy(h.m["deprecated"])
	switch {
	case !wasDep && isDep:
		d.add(Change{Op: Op(kind + ".deprecated"), Action: Changed, Subject: h.key, Path: path(p, "deprecated"), After: h.m["replacedBy"],
			Message: d.sentence("%s%s deprecated in favour of %s", noun, valueName(h), replacement(head, h.m["replacedBy"]))})
	case wasDep && !isDep:
		d.add(Change{Op: Op(kind + ".undeprecated"), Action: Changed, Subject: h.key, Path: p, Before: b.m["replacedBy"],
			Message: d.sentence("%s%s is active again (no longer deprecated)", noun, valueName(h))})
	case isDep && !equal(b.m["replacedBy"], h.m["replacedBy"]):
		d.add(Change{Op: Op(kind + ".replacement.changed"), Action: Changed, Subject: h.key, Path: path(p, "replacedBy"), Before: b.m["replacedBy"], After: h.m["replacedBy"],
			Message: d.sentence("%s%s now replaced by %s instead of %s", noun, valueName(h), replacement(head, h.m["replacedBy"]), replacement(base, b.m["replacedBy"]))})
	}
}

// diffValue compares one value present on both sides.
func diffValue(d *differ, b, h item, base, head map[string]item) {
	p := path("spec.values", h.index)
	if a, z := str(b.m["label"]), str(h.m["label"]); a != z {
		d.add(Change{Op: "value.relabelled", Action: Changed, Subject: h.key, Path: path(p, "label"), Before: a, After: z,
			Message: d.sentence("%s relabelled from %s to %s", h.key, quote(a), quote(z))})
	}
	diffDeprecation(d, "value", "", p, b, h, base, head)
	if a, z := b.m["description"], h.m["description"]; !equal(a, z) {
		d.add(Change{Op: "value.description.changed", Action: Changed, Subject: h.key, Path: path(p, "description"), Before: a, After: z,
			Message: d.sentence("description of %s changed from %s to %s", valueName(h), show(a), show(z))})
	}
}

// replacement names the replacedBy value by its label where known.
func replacement(values map[string]item, v any) string {
	if it, ok := values[str(v)]; ok {
		return valueName(it)
	}
	return show(v)
}

// renames pairs values removed from base with values added in head that
// carry the same label (case-insensitive), one to one, in list order. The
// map is keyed by the new value.
func renames(bo []item, bm map[string]item, ho []item, hm map[string]item) map[string]item {
	removed := map[string][]item{}
	for _, b := range bo {
		if _, ok := hm[b.key]; !ok && str(b.m["label"]) != "" {
			l := strings.ToLower(str(b.m["label"]))
			removed[l] = append(removed[l], b)
		}
	}
	out := map[string]item{}
	for _, h := range ho {
		if _, ok := bm[h.key]; ok {
			continue
		}
		l := strings.ToLower(str(h.m["label"]))
		if c := removed[l]; len(c) > 0 {
			out[h.key] = c[0]
			removed[l] = c[1:]
		}
	}
	return out
}

func isRenamed(renamed map[string]item, oldKey string) bool {
	for _, it := range renamed {
		if it.key == oldKey {
			return true
		}
	}
	return false
}

// diffBindings pairs live-system bindings by system, object and property.
func diffBindings(d *differ, base, head any) {
	key := func(m map[string]any) string {
		return str(m["system"]) + " " + str(m["object"]) + "." + str(m["property"])
	}
	index := func(v any) (map[string]int, []string) {
		idx := map[string]int{}
		var order []string
		for i, x := range list(v) {
			k := key(mapping(x))
			if _, dup := idx[k]; !dup {
				idx[k] = i
				order = append(order, k)
			}
		}
		return idx, order
	}
	bi, bo := index(base)
	hi, ho := index(head)
	for _, k := range ho {
		if _, ok := bi[k]; !ok {
			d.add(Change{Op: "binding.added", Action: Added, Subject: k, Path: path("spec.bindings", hi[k]), After: list(head)[hi[k]],
				Message: d.sentence("now bound to %s", k)})
		}
	}
	for _, k := range bo {
		if _, ok := hi[k]; !ok {
			d.add(Change{Op: "binding.removed", Action: Removed, Subject: k, Path: path("spec.bindings", bi[k]), Before: list(base)[bi[k]],
				Message: d.sentence("no longer bound to %s", k)})
		}
	}
}
