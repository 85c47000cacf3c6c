package semdiff

// diffMetadata compares the envelope's metadata: description, owner,
// labels and waivers (paired by rule).
func diffMetadata(d *differ) {
	base, head := mapping(d.base.Value["metadata"]), mapping(d.head.Value["metadata"])
	if a, b := base["description"], head["description"]; !equal(a, b) {
		d.add(Change{Op: "description.changed", Action: actionOf(a, b), Path: "metadata.description", Before: a, After: b,
			Message: d.sentence("description changed from %s to %s", show(a), show(b))})
	}
	if a, b := base["owner"], head["owner"]; !equal(a, b) {
		d.add(Change{Op: "owner.changed", Action: actionOf(a, b), Path: "metadata.owner", Before: a, After: b,
			Message: d.sentence("owner changed from %s to %s", show(a), show(b))})
	}
	bl, hl := mapping(base["labels"]), mapping(head["labels"])
	for _, k := range unionKeys(bl, hl) {
		a, b := bl[k], hl[k]
		if equal(a, b) {
			continue
		}
		act := actionOf(a, b)
		msg := d.sentence("label %s changed from %s to %s", k, show(a), show(b))
		switch act {
		case Added:
			msg = d.sentence("label %s: %s added", k, show(b))
		case Removed:
			msg = d.sentence("label %s: %s removed", k, show(a))
		}
		d.add(Change{Op: Op("label." + string(act)), Action: act, Subject: k, Path: path("metadata.labels", k), Before: a, After: b, Message: msg})
	}
	diffWaivers(d, base["waivers"], head["waivers"])
}

// diffWaivers pairs waivers by the rule they silence.
func diffWaivers(d *differ, base, head any) {
	bo, bm := keyed(base, "rule")
	ho, hm := keyed(head, "rule")
	for _, h := range ho {
		b, ok := bm[h.key]
		switch {
		case !ok:
			d.add(Change{Op: "waiver.added", Action: Added, Subject: h.key, Path: path("metadata.waivers", h.index), After: h.m,
				Message: d.sentence("waiver of %s added until %s, approved by %s: %s", h.key, str(h.m["until"]), str(h.m["approvedBy"]), str(h.m["reason"]))})
		case !equal(b.m, h.m):
			var what []string
			for _, f := range []string{"until", "reason", "approvedBy"} {
				if !equal(b.m[f], h.m[f]) {
					what = append(what, f+" "+show(b.m[f])+" → "+show(h.m[f]))
				}
			}
			d.add(Change{Op: "waiver.changed", Action: Changed, Subject: h.key, Path: path("metadata.waivers", h.index), Before: b.m, After: h.m,
				Message: d.sentence("waiver of %s changed: %s", h.key, joinPlain(what))})
		}
	}
	for _, b := range bo {
		if _, ok := hm[b.key]; !ok {
			d.add(Change{Op: "waiver.removed", Action: Removed, Subject: b.key, Path: path("metadata.waivers", b.index), Before: b.m,
				Message: d.sentence("waiver of %s removed", b.key)})
		}
	}
}
