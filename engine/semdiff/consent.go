package semdiff

import (
	"fmt"
	"slices"
	"strings"
)

// optInLevels orders opt-in strength: lowering it loosens a policy.
func optInLevels() []string { return []string{"none", "single", "double"} }

// diffConsent compares a consent policy. Every change is
// compliance-relevant (the differ flags them); where it is meaningful the
// change says whether the policy loosened (allows more) or tightened:
// allowing a channel, accepting another lawful basis, a lower opt-in,
// dropping the unsubscribe link and a longer retention all loosen.
func diffConsent(d *differ) {
	base, head := d.spec()
	added, removed := setDiff(strs(base["regions"]), strs(head["regions"]))
	for _, r := range added {
		d.add(Change{Op: "consent.region.added", Action: Added, Subject: r, Path: "spec.regions", After: r,
			Message: d.sentence("now covers region %s", r)})
	}
	for _, r := range removed {
		d.add(Change{Op: "consent.region.removed", Action: Removed, Subject: r, Path: "spec.regions", Before: r,
			Message: d.sentence("no longer covers region %s", r)})
	}
	bc, hc := mapping(base["channels"]), mapping(head["channels"])
	for _, ch := range sortedKeys(hc) {
		h := mapping(hc[ch])
		b, ok := bc[ch]
		if !ok {
			c := Change{Op: "consent.channel.added", Action: Added, Subject: ch, Path: path("spec.channels", ch), After: h,
				Message: d.sentence("%s rules added: %s", ch, channelRule(h))}
			if truthy(h["allowed"]) {
				c.Direction = Loosened
				c.Message += " (loosened)"
			}
			d.add(c)
			continue
		}
		diffChannel(d, ch, mapping(b), h)
	}
	for _, ch := range sortedKeys(bc) {
		if _, ok := hc[ch]; ok {
			continue
		}
		b := mapping(bc[ch])
		c := Change{Op: "consent.channel.removed", Action: Removed, Subject: ch, Path: path("spec.channels", ch), Before: b,
			Message: d.sentence("%s rules removed, so %s is not allowed (was %s)", ch, ch, channelRule(b))}
		if truthy(b["allowed"]) {
			c.Direction = Tightened
			c.Message += " (tightened)"
		}
		d.add(c)
	}
	if a, b := base["retention"], head["retention"]; !equal(a, b) {
		c := Change{Op: "consent.retention.changed", Action: Changed, Path: "spec.retention", Before: a, After: b,
			Message: d.sentence("retention changed from %s to %s", show(a), show(b))}
		ad, _, okA := parseTarget(str(a))
		bd, _, okB := parseTarget(str(b))
		switch {
		case okA && okB && bd > ad:
			c.Direction, c.Message = Loosened, d.sentence("retention lengthened from %s to %s (loosened)", str(a), str(b))
		case okA && okB && bd < ad:
			c.Direction, c.Message = Tightened, d.sentence("retention shortened from %s to %s (tightened)", str(a), str(b))
		}
		d.add(c)
	}
	// Fields this differ does not know yet still show, field by field.
	known := []string{"regions", "channels", "retention"}
	for _, k := range unionKeys(base, head) {
		if !slices.Contains(known, k) {
			walkFields(path("spec", k), base[k], head[k], func(p string, a, b any) { d.fieldChange(p, a, b, true) })
		}
	}
}

// diffChannel compares the rules of one channel present on both sides.
func diffChannel(d *differ, ch string, b, h map[string]any) {
	p := path("spec.channels", ch)
	// A channel switched on or off is one change: its other rules matter
	// only while it is allowed.
	if a, z := truthy(b["allowed"]), truthy(h["allowed"]); a != z {
		c := Change{Op: "consent.channel.allowed", Action: Changed, Subject: ch, Path: path(p, "allowed"), Before: b, After: h,
			Direction: Loosened, Message: d.sentence("%s is now allowed (loosened)", ch)}
		if conds := channelConditions(h); len(conds) > 0 {
			c.Message = d.sentence("%s is now allowed with %s (loosened)", ch, strings.Join(conds, ", "))
		}
		if !z {
			c.Direction, c.Message = Tightened, d.sentence("%s is no longer allowed (tightened)", ch)
		}
		d.add(c)
		return
	}
	added, removed := setDiff(strs(b["lawfulBasis"]), strs(h["lawfulBasis"]))
	for _, x := range added {
		d.add(Change{Op: "consent.lawfulBasis.added", Action: Added, Subject: ch, Path: path(p, "lawfulBasis"), After: x, Direction: Loosened,
			Message: d.sentence("%s accepts lawful basis %s (loosened)", ch, x)})
	}
	for _, x := range removed {
		d.add(Change{Op: "consent.lawfulBasis.removed", Action: Removed, Subject: ch, Path: path(p, "lawfulBasis"), Before: x, Direction: Tightened,
			Message: d.sentence("%s no longer accepts lawful basis %s (tightened)", ch, x)})
	}
	if a, z := b["optIn"], h["optIn"]; !equal(a, z) {
		c := Change{Op: "consent.optIn.changed", Action: Changed, Subject: ch, Path: path(p, "optIn"), Before: a, After: z,
			Message: d.sentence("%s opt-in changed from %s to %s", ch, show(a), show(z))}
		ai, zi := slices.Index(optInLevels(), str(a)), slices.Index(optInLevels(), str(z))
		switch {
		case ai >= 0 && zi >= 0 && zi < ai:
			c.Direction, c.Message = Loosened, d.sentence("%s opt-in lowered from %s to %s (loosened)", ch, str(a), str(z))
		case ai >= 0 && zi > ai:
			c.Direction, c.Message = Tightened, d.sentence("%s opt-in raised from %s to %s (tightened)", ch, str(a), str(z))
		}
		d.add(c)
	}
	if a, z := b["subscriptionType"], h["subscriptionType"]; !equal(a, z) {
		d.add(Change{Op: "consent.subscriptionType.changed", Action: Changed, Subject: ch, Path: path(p, "subscriptionType"), Before: a, After: z,
			Message: d.sentence("%s subscription type changed from %s to %s", ch, show(a), show(z))})
	}
	if a, z := truthy(b["unsubscribeLink"]), truthy(h["unsubscribeLink"]); a != z {
		c := Change{Op: "consent.unsubscribeLink.changed", Action: Changed, Subject: ch, Path: path(p, "unsubscribeLink"), Before: a, After: z,
			Direction: Tightened, Message: d.sentence("%s now requires an unsubscribe link (tightened)", ch)}
		if !z {
			c.Direction, c.Message = Loosened, d.sentence("%s no longer requires an unsubscribe link (loosened)", ch)
		}
		d.add(c)
	}
	known := []string{"allowed", "lawfulBasis", "optIn", "subscriptionType", "unsubscribeLink"}
	for _, k := range unionKeys(b, h) {
		if !slices.Contains(known, k) {
			walkFields(path(p, k), b[k], h[k], func(fp string, x, y any) { d.fieldChange(fp, x, y, true) })
		}
	}
}

// channelRule describes a channel's rules in words.
func channelRule(m map[string]any) string {
	if !truthy(m["allowed"]) {
		return "not allowed"
	}
	return strings.Join(append([]string{"allowed"}, channelConditions(m)...), ", ")
}

// channelConditions lists the conditions of an allowed channel in words.
func channelConditions(m map[string]any) []string {
	var parts []string
	if lb := strs(m["lawfulBasis"]); len(lb) > 0 {
		parts = append(parts, "lawful basis "+strings.Join(lb, " or "))
	}
	if o := str(m["optIn"]); o != "" {
		parts = append(parts, fmt.Sprintf("%s opt-in", o))
	}
	if s := str(m["subscriptionType"]); s != "" {
		parts = append(parts, "subscription type "+s)
	}
	if truthy(m["unsubscribeLink"]) {
		parts = append(parts, "unsubscribe link")
	}
	return parts
}
