package semdiff

import (
	"github.com/mops-dev/mops/engine/model"
)

// diffLifecycle compares a lifecycle model: stages paired by id, and the
// effective transitions (when a side leaves transitions out, each stage
// moves to the next one), so switching between the default and the same
// explicit list is no change.
func diffLifecycle(d *differ) {
	base, head := d.spec()
	if a, b := base["object"], head["object"]; !equal(a, b) {
		d.add(Change{Op: "lifecycle.object.changed", Action: Changed, Path: "spec.object", Before: a, After: b,
			Message: d.sentence("object changed from %s to %s", show(a), show(b))})
	}
	bo, bm := keyed(base["stages"], "id")
	ho, hm := keyed(head["stages"], "id")
	for _, h := range ho {
		b, ok := bm[h.key]
		if !ok {
			d.add(Change{Op: "stage.added", Action: Added, Subject: h.key, Path: path("spec.stages", h.index), After: h.m,
				Message: d.sentence("stage %s (%s) added at position %d", valueName(h), h.key, position(ho, h.key))})
			continue
		}
		diffStage(d, b, h, bm, hm)
	}
	for _, k := range moved(bo, ho, bm) {
		h := hm[k]
		d.add(Change{Op: "stage.reordered", Action: Changed, Subject: k, Path: path("spec.stages", h.index),
			Before: int64(position(bo, k)), After: int64(position(ho, k)),
			Message: d.sentence("stage %s moved from position %d to %d", valueName(h), position(bo, k), position(ho, k))})
	}
	for _, b := range bo {
		if _, ok := hm[b.key]; !ok {
			d.add(Change{Op: "stage.removed", Action: Removed, Subject: b.key, Path: path("spec.stages", b.index), Before: b.m,
				Message: d.sentence("stage %s (%s) removed", valueName(b), b.key)})
		}
	}
	be, he := transitions(base), transitions(head)
	for _, e := range he {
		if !hasEdge(be, e) {
			d.add(Change{Op: "transition.added", Action: Added, Subject: e.key(), Path: e.path, After: e.value(),
				Message: d.sentence("transition %s → %s added", e.from, e.to)})
		}
	}
	for _, e := range be {
		if !hasEdge(he, e) {
			d.add(Change{Op: "transition.removed", Action: Removed, Subject: e.key(), Path: e.path, Before: e.value(),
				Message: d.sentence("transition %s → %s removed", e.from, e.to)})
		}
	}
	diffBindings(d, base["bindings"], head["bindings"])
}

// diffStage compares one stage present on both sides; base and head are
// each side's stages by id.
func diffStage(d *differ, b, h item, base, head map[string]item) {
	p := path("spec.stages", h.index)
	diffDeprecation(d, "stage", "stage ", p, b, h, base, head)
	if a, z := str(b.m["label"]), str(h.m["label"]); a != z {
		d.add(Change{Op: "stage.relabelled", Action: Changed, Subject: h.key, Path: path(p, "label"), Before: a, After: z,
			Message: d.sentence("stage %s relabelled from %s to %s", h.key, quote(a), quote(z))})
	}
	if a, z := b.m["sla"], h.m["sla"]; !equal(a, z) {
		msg := d.sentence("stage %s SLA changed from %s to %s", valueName(h), show(a), show(z))
		switch {
		case a == nil:
			msg = d.sentence("stage %s now has SLA %s", valueName(h), show(z))
		case z == nil:
			msg = d.sentence("stage %s no longer has SLA %s", valueName(h), show(a))
		}
		d.add(Change{Op: "stage.sla.changed", Action: Changed, Subject: h.key, Path: path(p, "sla"), Before: a, After: z, Message: msg})
	}
	if a, z := b.m["entryCriteria"], h.m["entryCriteria"]; !equal(a, z) {
		d.add(Change{Op: "stage.entryCriteria.changed", Action: Changed, Subject: h.key, Path: path(p, "entryCriteria"), Before: a, After: z,
			Message: d.sentence("entry criteria of stage %s changed from %s to %s", valueName(h), show(a), show(z))})
	}
	if a, z := truthy(b.m["terminal"]), truthy(h.m["terminal"]); a != z {
		msg := d.sentence("stage %s is now terminal", valueName(h))
		if !z {
			msg = d.sentence("stage %s is no longer terminal", valueName(h))
		}
		d.add(Change{Op: "stage.terminal.changed", Action: Changed, Subject: h.key, Path: path(p, "terminal"), Before: a, After: z, Message: msg})
	}
}

// edge is one effective transition and where it is written.
type edge struct {
	from, to string
	path     string
}

func (e edge) key() string { return e.from + "->" + e.to }

func (e edge) value() map[string]any { return map[string]any{"from": e.from, "to": e.to} }

func hasEdge(edges []edge, e edge) bool {
	for _, x := range edges {
		if x.from == e.from && x.to == e.to {
			return true
		}
	}
	return false
}

// transitions returns a model's effective transitions, without repeats:
// the listed ones, or each stage to the next when the list is left out.
func transitions(spec map[string]any) []edge {
	var out []edge
	addEdge := func(e edge) {
		if e.from != "" && e.to != "" && !hasEdge(out, e) {
			out = append(out, e)
		}
	}
	if _, explicit := spec["transitions"]; !explicit {
		stages := list(spec["stages"])
		for i := 0; i+1 < len(stages); i++ {
			addEdge(edge{from: str(get(stages[i], "id")), to: str(get(stages[i+1], "id")), path: path("spec.stages", i)})
		}
		return out
	}
	for i, t := range list(spec["transitions"]) {
		from := str(get(t, "from"))
		for j, to := range list(get(t, "to")) {
			addEdge(edge{from: from, to: str(to), path: path("spec.transitions", i, "to", j)})
		}
	}
	return out
}

// lifecycleGraph merges the stages and transitions of both sides of a
// lifecycle model; base is nil for a new model.
func lifecycleGraph(base, head *model.Document) *Graph {
	var baseSpec map[string]any
	if base != nil {
		baseSpec = base.Spec()
	}
	headSpec := head.Spec()
	bo, bm := keyed(baseSpec["stages"], "id")
	ho, hm := keyed(headSpec["stages"], "id")
	movedKeys := map[string]bool{}
	for _, k := range moved(bo, ho, bm) {
		movedKeys[k] = true
	}
	g := &Graph{Stages: []GraphStage{}, Transitions: []GraphTransition{}}
	for i, h := range ho {
		s := GraphStage{ID: h.key, Label: str(h.m["label"]), Initial: i == 0, Terminal: truthy(h.m["terminal"])}
		switch b, ok := bm[h.key]; {
		case !ok:
			s.Status = Added
		case movedKeys[h.key] || !equal(b.m, h.m):
			s.Status = Changed
		}
		g.Stages = append(g.Stages, s)
	}
	for _, b := range bo {
		if _, ok := hm[b.key]; !ok {
			g.Stages = append(g.Stages, GraphStage{ID: b.key, Label: str(b.m["label"]), Status: Removed, Terminal: truthy(b.m["terminal"])})
		}
	}
	be, he := transitions(baseSpec), transitions(headSpec)
	for _, e := range he {
		t := GraphTransition{From: e.from, To: e.to}
		if !hasEdge(be, e) {
			t.Status = Added
		}
		g.Transitions = append(g.Transitions, t)
	}
	for _, e := range be {
		if !hasEdge(he, e) {
			g.Transitions = append(g.Transitions, GraphTransition{From: e.from, To: e.to, Status: Removed})
		}
	}
	return g
}
