package semdiff

import (
	"fmt"

	"github.com/mops-dev/mops/engine/model"
)

// memberIDs names a role's members as mops does everywhere (see
// model.Member.ID): a person by @ and their GitHub login.
func memberIDs(v any) []string {
	var out []string
	for _, x := range list(v) {
		if m, ok := model.MemberOf(x); ok {
			out = append(out, m.ID())
		} else {
			out = append(out, str(x))
		}
	}
	return out
}

// diffRACI compares roles (paired by id: name and members) and activities
// (paired by id: accountable, responsible, consulted, informed, governs).
func diffRACI(d *differ) {
	base, head := d.spec()
	bo, bm := keyed(base["roles"], "id")
	ho, hm := keyed(head["roles"], "id")
	for _, h := range ho {
		p := path("spec.roles", h.index)
		b, ok := bm[h.key]
		if !ok {
			d.add(Change{Op: "role.added", Action: Added, Subject: h.key, Path: p, After: h.m,
				Message: d.sentence("role %s added with members %s", roleName(h), joinPlain(memberIDs(h.m["members"])))})
			continue
		}
		if a, z := b.m["name"], h.m["name"]; !equal(a, z) {
			d.add(Change{Op: "role.name.changed", Action: Changed, Subject: h.key, Path: path(p, "name"), Before: a, After: z,
				Message: d.sentence("role %s renamed from %s to %s", h.key, show(a), show(z))})
		}
		added, removed := setDiff(memberIDs(b.m["members"]), memberIDs(h.m["members"]))
		for _, m := range added {
			d.add(Change{Op: "role.member.added", Action: Added, Subject: h.key, Path: path(p, "members"), After: m,
				Message: d.sentence("%s added to role %s", m, h.key)})
		}
		for _, m := range removed {
			d.add(Change{Op: "role.member.removed", Action: Removed, Subject: h.key, Path: path("spec.roles", b.index, "members"), Before: m,
				Message: d.sentence("%s removed from role %s", m, h.key)})
		}
	}
	for _, b := range bo {
		if _, ok := hm[b.key]; !ok {
			d.add(Change{Op: "role.removed", Action: Removed, Subject: b.key, Path: path("spec.roles", b.index), Before: b.m,
				Message: d.sentence("role %s removed", roleName(b))})
		}
	}

	bo, bm = keyed(base["activities"], "id")
	ho, hm = keyed(head["activities"], "id")
	for _, h := range ho {
		p := path("spec.activities", h.index)
		b, ok := bm[h.key]
		if !ok {
			d.add(Change{Op: "activity.added", Action: Added, Subject: h.key, Path: p, After: h.m,
				Message: d.sentence("activity %s added: accountable %s, responsible %s", h.key, show(h.m["accountable"]), joinPlain(strs(h.m["responsible"])))})
			continue
		}
		diffActivity(d, b, h)
	}
	for _, b := range bo {
		if _, ok := hm[b.key]; !ok {
			d.add(Change{Op: "activity.removed", Action: Removed, Subject: b.key, Path: path("spec.activities", b.index), Before: b.m,
				Message: d.sentence("activity %s removed", b.key)})
		}
	}
}

func roleName(it item) string {
	if n := str(it.m["name"]); n != "" {
		return fmt.Sprintf("%s (%s)", quote(n), it.key)
	}
	return it.key
}

// diffActivity compares one activity present on both sides.
func diffActivity(d *differ, b, h item) {
	p := path("spec.activities", h.index)
	if a, z := b.m["accountable"], h.m["accountable"]; !equal(a, z) {
		d.add(Change{Op: "activity.accountable.changed", Action: Changed, Subject: h.key, Path: path(p, "accountable"), Before: a, After: z,
			Message: d.sentence("accountable for %s changed from %s to %s", h.key, show(a), show(z))})
	}
	// Each sentence takes the role (or kind) and the activity.
	lists := []struct{ field, now, noLonger string }{
		{"responsible", "%[1]s is now responsible for %[2]s", "%[1]s is no longer responsible for %[2]s"},
		{"consulted", "%[1]s is now consulted on %[2]s", "%[1]s is no longer consulted on %[2]s"},
		{"informed", "%[1]s is now informed of %[2]s", "%[1]s is no longer informed of %[2]s"},
		{"governs", "activity %[2]s now governs %[1]s changes", "activity %[2]s no longer governs %[1]s changes"},
	}
	for _, l := range lists {
		added, removed := setDiff(strs(b.m[l.field]), strs(h.m[l.field]))
		for _, x := range added {
			d.add(Change{Op: Op("activity." + l.field + ".added"), Action: Added, Subject: h.key, Path: path(p, l.field), After: x,
				Message: d.sentence(l.now, x, h.key)})
		}
		for _, x := range removed {
			d.add(Change{Op: Op("activity." + l.field + ".removed"), Action: Removed, Subject: h.key, Path: path("spec.activities", b.index, l.field), Before: x,
				Message: d.sentence(l.noLonger, x, h.key)})
		}
	}
	if a, z := b.m["description"], h.m["description"]; !equal(a, z) {
		d.add(Change{Op: "activity.description.changed", Action: Changed, Subject: h.key, Path: path(p, "description"), Before: a, After: z,
			Message: d.sentence("description of activity %s changed from %s to %s", h.key, show(a), show(z))})
	}
}
