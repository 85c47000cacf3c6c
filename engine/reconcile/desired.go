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

// desiredOption is one value the repository declares for a binding.
type desiredOption struct {
	Value, Label, Description string
	Deprecated                bool
	ReplacedBy                string
}

// desiredProperty is everything the repository wants of one live property.
type desiredProperty struct {
	Binding live.Binding
	Label   string
	Options []desiredOption
	Source  plan.Source
}

// active returns the values that must be offered, in display order.
func (d *desiredProperty) active() []desiredOption {
	var out []desiredOption
	for _, o := range d.Options {
		if !o.Deprecated {
			out = append(out, o)
		}
	}
	return out
}

func (d *desiredProperty) find(value string) (desiredOption, bool) {
	for _, o := range d.Options {
		if o.Value == value {
			return o, true
		}
	}
	return desiredOption{}, false
}

// Desired lists the properties the repository binds in system, in document
// order. A property bound by two documents is a problem: which one wins
// would be arbitrary.
func Desired(b *model.Bundle, system string) ([]*desiredProperty, []plan.Problem, error) {
	var out []*desiredProperty
	var problems []plan.Problem
	owner := map[live.Binding]plan.Source{}
	add := func(d *model.Document, label string, bindings []model.Binding, opts []desiredOption) {
		for i, bd := range bindings {
			if bd.System != system {
				continue
			}
			lb := live.Binding{System: bd.System, Object: bd.Object, Property: bd.Property}
			pos := d.PosOf(fmt.Sprintf("spec.bindings[%d]", i))
			src := plan.Source{Kind: string(d.Kind), Name: d.Name, File: d.File, Line: pos.Line}
			if first, dup := owner[lb]; dup {
				problems = append(problems, plan.Problem{Severity: plan.Error, Target: lb, Source: src,
					Message: fmt.Sprintf("%s is bound by both %s %s (%s:%d) and %s %s; a live property can follow only one document", lb, first.Kind, first.Name, first.File, first.Line, src.Kind, src.Name)})
				continue
			}
			owner[lb] = src
			out = append(out, &desiredProperty{Binding: lb, Label: label, Options: slices.Clone(opts), Source: src})
		}
	}
	for _, d := range b.Docs {
		switch d.Kind {
		case model.KindTaxonomy:
			var t model.Taxonomy
			if err := d.Decode(&t); err != nil {
				return nil, nil, err
			}
			opts := make([]desiredOption, 0, len(t.Values))
			for _, v := range t.Values {
				opts = append(opts, desiredOption{Value: v.Value, Label: v.Label, Description: v.Description, Deprecated: v.Deprecated, ReplacedBy: v.ReplacedBy})
			}
			add(d, t.Label, t.Bindings, opts)
		case model.KindLifecycleModel:
			var m model.LifecycleModel
			if err := d.Decode(&m); err != nil {
				return nil, nil, err
			}
			opts := make([]desiredOption, 0, len(m.Stages))
			for _, s := range m.Stages {
				opts = append(opts, desiredOption{Value: s.ID, Label: s.Label, Description: s.EntryCriteria})
			}
			add(d, "Lifecycle Stage", m.Bindings, opts)
		}
	}
	return out, problems, nil
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
