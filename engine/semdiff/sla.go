package semdiff

import (
	"strconv"
	"strings"
	"time"
)

// diffSLA compares an SLA's type, target and description. A target change
// says whether it tightened or loosened when both targets use comparable
// units: a response or turnaround SLA tightens when it gets shorter, a
// campaign lead time (a minimum) when it gets longer.
func diffSLA(d *differ) {
	base, head := d.spec()
	if a, b := base["type"], head["type"]; !equal(a, b) {
		d.add(Change{Op: "sla.type.changed", Action: Changed, Path: "spec.type", Before: a, After: b,
			Message: d.sentence("type changed from %s to %s", show(a), show(b))})
	}
	if a, b := base["target"], head["target"]; !equal(a, b) {
		dir := targetDirection(str(a), str(b), str(head["type"]))
		msg := d.sentence("target changed from %s to %s", show(a), show(b))
		if dir != "" {
			msg += " (" + string(dir) + ")"
		}
		d.add(Change{Op: "sla.target.changed", Action: Changed, Path: "spec.target", Before: a, After: b, Direction: dir, Message: msg})
	}
	if a, b := base["description"], head["description"]; !equal(a, b) {
		d.add(Change{Op: "sla.description.changed", Action: Changed, Path: "spec.description", Before: a, After: b,
			Message: d.sentence("description changed from %s to %s", show(a), show(b))})
	}
}

func targetDirection(before, after, typ string) Direction {
	a, aBusiness, okA := parseTarget(before)
	b, bBusiness, okB := parseTarget(after)
	if !okA || !okB || aBusiness != bBusiness || a == b {
		return ""
	}
	shorter := b < a
	if typ == "campaign-lead-time" {
		shorter = !shorter
	}
	if shorter {
		return Tightened
	}
	return Loosened
}

// parseTarget reads an SLA target: a Go duration (24h, 90m), whole days
// (3d) or business days (10bd, not comparable with the others).
func parseTarget(s string) (d time.Duration, business, ok bool) {
	switch {
	case strings.HasSuffix(s, "bd"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "bd"))
		return time.Duration(n) * 24 * time.Hour, true, err == nil
	case strings.HasSuffix(s, "d"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		return time.Duration(n) * 24 * time.Hour, false, err == nil
	}
	d, err := time.ParseDuration(s)
	return d, false, err == nil
}
