// Package reconcile computes a plan: it pairs each binding of the
// repository's taxonomies and lifecycle models with the live property it
// names, and lists the ordered changes that make live match the repository,
// with their impact (records affected).
package reconcile

import (
	"fmt"
	"slices"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
)

// DesiredOption is one value the repository declares for a binding.
type DesiredOption struct {
	Value, Label, Description string
	Deprecated                bool
	ReplacedBy                string
}

// DesiredProperty is everything the repository wants of one live property.
type DesiredProperty struct {
	Binding live.Binding
	// Label is the property label a create uses.
	Label string
	// Options are the declared values in display order, deprecated ones
	// included.
	Options []DesiredOption
	// Source is the document binding the property, at the binding's line.
	Source plan.Source
}

// active returns the values that must be offered, in display order.
func (d *DesiredProperty) active() []DesiredOption {
	var out []DesiredOption
	for _, o := range d.Options {
		if !o.Deprecated {
			out = append(out, o)
		}
	}
	return out
}

// Find returns the declared option with the given value.
func (d *DesiredProperty) Find(value string) (DesiredOption, bool) {
	for _, o := range d.Options {
		if o.Value == value {
			return o, true
		}
	}
	return DesiredOption{}, false
}

// Desired is the one view of what the repository wants of live: every
// property its taxonomies and lifecycle models bind, in every system, in
// document and binding order. A property bound by two documents is a
// problem (which one wins would be arbitrary): the first keeps it. So is a
// document that does not decode; a validated bundle has none.
func Desired(b *model.Bundle) ([]*DesiredProperty, []plan.Problem) {
	var out []*DesiredProperty
	var problems []plan.Problem
	owner := map[live.Binding]plan.Source{}
	for _, d := range b.Docs {
		bindings := d.Bindings()
		if len(bindings) == 0 {
			continue
		}
		label, opts, err := declared(d)
		if err != nil {
			problems = append(problems, plan.Problem{Severity: plan.Error, Source: plan.Source{Kind: string(d.Kind), Name: d.Name, File: d.File},
				Message: fmt.Sprintf("cannot read %s %s: %v", d.Kind, d.Name, err)})
			continue
		}
		for i, bd := range bindings {
			lb := BindingOf(bd)
			pos := d.PosOf(fmt.Sprintf("spec.bindings[%d]", i))
			src := plan.Source{Kind: string(d.Kind), Name: d.Name, File: d.File, Line: pos.Line}
			if first, dup := owner[lb]; dup {
				problems = append(problems, plan.Problem{Severity: plan.Error, Target: lb, Source: src,
					Message: fmt.Sprintf("%s is bound by both %s %s (%s:%d) and %s %s; a live property can follow only one document", lb, first.Kind, first.Name, first.File, first.Line, src.Kind, src.Name)})
				continue
			}
			owner[lb] = src
			out = append(out, &DesiredProperty{Binding: lb, Label: label, Options: slices.Clone(opts), Source: src})
		}
	}
	return out, problems
}

// BindingOf is the one conversion from a document's binding to the live
// binding providers read.
func BindingOf(b model.Binding) live.Binding {
	return live.Binding{System: b.System, Object: b.Object, Property: b.Property}
}

// declared returns the property label and the values a Taxonomy or
// LifecycleModel declares.
func declared(d *model.Document) (string, []DesiredOption, error) {
	if d.Kind == model.KindLifecycleModel {
		var m model.LifecycleModel
		if err := d.Decode(&m); err != nil {
			return "", nil, err
		}
		opts := make([]DesiredOption, 0, len(m.Stages))
		for _, s := range m.Stages {
			opts = append(opts, DesiredOption{Value: s.ID, Label: s.Label, Description: s.EntryCriteria, Deprecated: s.Deprecated, ReplacedBy: s.ReplacedBy})
		}
		return "Lifecycle Stage", opts, nil
	}
	var t model.Taxonomy
	if err := d.Decode(&t); err != nil {
		return "", nil, err
	}
	opts := make([]DesiredOption, 0, len(t.Values))
	for _, v := range t.Values {
		opts = append(opts, DesiredOption{Value: v.Value, Label: v.Label, Description: v.Description, Deprecated: v.Deprecated, ReplacedBy: v.ReplacedBy})
	}
	return t.Label, opts, nil
}

// SubscriptionTypes lists the subscription types the consent policies of
// b name, in document order.
func SubscriptionTypes(b *model.Bundle) []string {
	refs, _ := subscriptionRefs(b)
	return refs
}

// subscriptionRefs lists the subscription types consent policies name,
// with the document naming each first.
func subscriptionRefs(b *model.Bundle) ([]string, map[string]plan.Source) {
	var refs []string
	src := map[string]plan.Source{}
	for _, d := range b.ByKind(model.KindConsentPolicy) {
		channels, _ := d.Spec()["channels"].(map[string]any)
		names := make([]string, 0, len(channels))
		for ch := range channels {
			names = append(names, ch)
		}
		slices.Sort(names)
		for _, ch := range names {
			c, _ := channels[ch].(map[string]any)
			ref, _ := c["subscriptionType"].(string)
			if ref == "" {
				continue
			}
			if _, seen := src[ref]; !seen {
				pos := d.PosOf("spec.channels." + ch + ".subscriptionType")
				src[ref] = plan.Source{Kind: string(d.Kind), Name: d.Name, File: d.File, Line: pos.Line}
				refs = append(refs, ref)
			}
		}
	}
	return refs, src
}
