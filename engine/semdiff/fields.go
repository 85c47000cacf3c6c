package semdiff

import (
	"strings"
)

// actionOf says whether a value appeared, disappeared or changed.
func actionOf(before, after any) Action {
	switch {
	case before == nil:
		return Added
	case after == nil:
		return Removed
	}
	return Changed
}

// walkFields calls emit for every leaf that differs between a and b under
// path p. Maps are compared key by key; lists of objects of the same
// length item by item; any other list, and scalars, as a whole.
func walkFields(p string, a, b any, emit func(p string, a, b any)) {
	if equal(a, b) {
		return
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		for _, k := range unionKeys(am, bm) {
			walkFields(path(p, k), am[k], bm[k], emit)
		}
		return
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) && allMaps(al) && allMaps(bl) {
		for i := range al {
			walkFields(path(p, i), al[i], bl[i], emit)
		}
		return
	}
	emit(p, a, b)
}

func allMaps(l []any) bool {
	for _, x := range l {
		if _, ok := x.(map[string]any); !ok {
			return false
		}
	}
	return true
}

// unionKeys returns the keys of a and b, sorted.
func unionKeys(a, b map[string]any) []string {
	all := map[string]bool{}
	for k := range a {
		all[k] = true
	}
	for k := range b {
		all[k] = true
	}
	return sortedKeys(all)
}

// fieldChange records one field-level change with ops field.added,
// field.changed and field.removed.
func (d *differ) fieldChange(p string, a, b any, compliance bool) {
	shown := strings.TrimPrefix(p, "spec.")
	act := actionOf(a, b)
	var msg string
	switch act {
	case Added:
		msg = d.sentence("%s set to %s", shown, show(b))
	case Removed:
		msg = d.sentence("%s removed (was %s)", shown, show(a))
	default:
		msg = d.sentence("%s changed from %s to %s", shown, show(a), show(b))
	}
	d.add(Change{Op: Op("field." + string(act)), Action: act, Path: p, Before: a, After: b, Message: msg, Compliance: compliance})
}

// diffSpecFields is the differ of kinds without a semantic one (Project):
// a field-level diff of the spec.
func diffSpecFields(d *differ) {
	base, head := d.spec()
	walkFields("spec", base, head, func(p string, a, b any) { d.fieldChange(p, a, b, false) })
}

// diffCampaign is a field-level diff of a campaign's spec; changes to the
// audience's consent are compliance-relevant.
func diffCampaign(d *differ) {
	base, head := d.spec()
	walkFields("spec", base, head, func(p string, a, b any) {
		d.fieldChange(p, a, b, p == "spec.audience.consent" || strings.HasPrefix(p, "spec.audience.consent."))
	})
}
