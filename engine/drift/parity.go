package drift

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
)

// Option states compared by parity.
const (
	stateActive = "active"
	stateHidden = "hidden"
	stateAbsent = "absent"
)

// parity compares, for each document binding two or more live properties
// that were read, the values those properties hold: present and active in
// one but hidden or absent in another, or labelled differently. Bindings
// whose system was not read or whose property is missing are left out (the
// missing property is drift already).
func parity(b *model.Bundle, snaps map[string]*live.Snapshot) []ParityItem {
	out := []ParityItem{}
	desired, _ := reconcile.Desired(b)
	for len(desired) > 0 {
		// Desired lists each document's bindings together.
		n := 1
		for n < len(desired) && sameDocument(desired[n].Source, desired[0].Source) {
			n++
		}
		doc := desired[:n]
		desired = desired[n:]
		var props []*live.Property
		for _, d := range doc {
			if snap := snaps[d.Binding.System]; snap != nil && snap.Properties[d.Binding] != nil {
				props = append(props, snap.Properties[d.Binding])
			}
		}
		if len(props) < 2 {
			continue
		}
		out = append(out, compare(b, doc[0], props)...)
	}
	return out
}

func sameDocument(a, b plan.Source) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.File == b.File
}

// compare lists the values whose state or label differs between props,
// the live properties of the document d comes from.
func compare(b *model.Bundle, d *reconcile.DesiredProperty, props []*live.Property) []ParityItem {
	src := d.Source
	if doc := b.Get(model.Key{Kind: model.Kind(src.Kind), Name: src.Name}); doc != nil {
		src.Line = doc.PosOf("spec.bindings").Line
	}
	var values []string
	for _, o := range d.Options {
		values = append(values, o.Value)
	}
	for _, p := range props {
		for _, o := range p.Options {
			if !slices.Contains(values, o.Value) {
				values = append(values, o.Value)
			}
		}
	}
	var out []ParityItem
	for _, v := range values {
		states := map[string]string{}
		labels := map[string]string{}
		for _, p := range props {
			key := p.Binding.String()
			o, ok := p.Option(v)
			switch {
			case !ok:
				states[key] = stateAbsent
			case o.Hidden:
				states[key], labels[key] = stateHidden, o.Label
			default:
				states[key], labels[key] = stateActive, o.Label
			}
		}
		if groups := grouped(props, states); len(groups) > 1 {
			var parts []string
			for _, g := range groups {
				parts = append(parts, fmt.Sprintf("%s in %s", g.what, strings.Join(g.keys, ", ")))
			}
			out = append(out, ParityItem{Kind: "presence", Document: src, Value: v, Bindings: states,
				Message: fmt.Sprintf("%s %s: value %q is %s", src.Kind, src.Name, v, strings.Join(parts, "; "))})
		}
		if groups := grouped(props, labels); len(groups) > 1 {
			var parts []string
			for _, g := range groups {
				parts = append(parts, fmt.Sprintf("%q in %s", g.what, strings.Join(g.keys, ", ")))
			}
			out = append(out, ParityItem{Kind: "label", Document: src, Value: v, Bindings: labels,
				Message: fmt.Sprintf("%s %s: value %q is labelled %s", src.Kind, src.Name, v, strings.Join(parts, "; "))})
		}
	}
	return out
}

// group is the bindings sharing one state or label.
type group struct {
	what string
	keys []string
}

// grouped groups the bindings present in m by their value, in the order
// of props.
func grouped(props []*live.Property, m map[string]string) []group {
	var out []group
	for _, p := range props {
		key := p.Binding.String()
		what, ok := m[key]
		if !ok {
			continue
		}
		i := slices.IndexFunc(out, func(g group) bool { return g.what == what })
		if i < 0 {
			out = append(out, group{what: what})
			i = len(out) - 1
		}
		out[i].keys = append(out[i].keys, key)
	}
	return out
}
