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

// describe words plan p from live's side. Plan problems that are the
// repository's own (a property bound twice, an object type that does not
// exist) are returned as errors: drift cannot compare those bindings.
func describe(b *model.Bundle, p *plan.Plan, rec *recorder) ([]Item, []string) {
	desired, repoProblems := reconcile.Desired(b)
	declared := map[live.Binding]map[string]string{} // value -> replacedBy ("" when active)
	for _, d := range desired {
		declared[d.Binding] = map[string]string{}
		for _, o := range d.Options {
			declared[d.Binding][o.Value] = o.ReplacedBy
		}
	}
	repoMsg := map[string]bool{}
	for _, pr := range repoProblems {
		repoMsg[pr.Message] = true
	}
	snap := rec.snapshot()
	if snap == nil {
		snap = &live.Snapshot{}
	}

	var items []Item
	var errs []string
	for _, c := range p.Changes {
		items = append(items, changeItems(c, declared[c.Target])...)
	}
	held := map[live.Binding]bool{}
	for _, pr := range p.Problems {
		prop := snap.Properties[pr.Target]
		switch {
		case repoMsg[pr.Message]:
			errs = append(errs, pr.Message)
		case pr.Target.Object == "":
			items = append(items, Item{Kind: SubscriptionMissing, Target: pr.Target, Message: pr.Message, Source: pr.Source})
		case slices.Contains(snap.UnknownObjects, pr.Target.Object):
			errs = append(errs, pr.Message)
		case prop != nil && prop.ReadOnlyOptions:
			items = append(items, Item{Kind: ReadOnly, Target: pr.Target, Message: pr.Message, Source: pr.Source})
		case prop != nil && !held[pr.Target]:
			held[pr.Target] = true
			found := heldItems(prop, declared[pr.Target], rec, pr.Source)
			if len(found) == 0 {
				found = []Item{{Kind: Blocked, Target: pr.Target, Message: pr.Message, Source: pr.Source}}
			}
			items = append(items, found...)
		case prop == nil:
			items = append(items, Item{Kind: Blocked, Target: pr.Target, Message: pr.Message, Source: pr.Source})
		}
	}
	slices.SortStableFunc(items, func(a, b Item) int { return a.Target.Compare(b.Target) })
	if items == nil {
		items = []Item{}
	}
	if errs == nil {
		errs = []string{}
	}
	return items, errs
}

// changeItems words one plan change from live's side; an update may hold
// several differences (label, description, hidden).
func changeItems(c plan.Change, declared map[string]string) []Item {
	it := Item{Target: c.Target, Value: c.Value, PlanStep: c.Seq, Source: c.Source, Records: c.Records}
	with := func(kind, msg string) Item {
		x := it
		x.Kind, x.Message = kind, msg
		return x
	}
	switch c.Action {
	case plan.Create:
		if c.Value == "" {
			return []Item{with(PropertyMissing, fmt.Sprintf("live has no property %s.%s; the repository binds it with %d value(s)", c.Target.Object, c.Target.Property, len(c.Options)))}
		}
		label := ""
		if c.After != nil {
			label = c.After.Label
		}
		return []Item{with(OptionMissing, fmt.Sprintf("live lacks option %q (%q), which the repository declares", c.Value, label))}
	case plan.Update:
		if c.Value == "" {
			x := with(OptionOrder, "live shows the options in another order than the repository")
			x.LiveOrder, x.RepositoryOrder = c.OrderBefore, c.OrderAfter
			return []Item{x}
		}
		if c.Before == nil || c.After == nil {
			return []Item{with(Blocked, c.Summary)}
		}
		var out []Item
		if c.Before.Label != c.After.Label {
			x := with(OptionLabel, fmt.Sprintf("live label of %q is %q; the repository says %q", c.Value, c.Before.Label, c.After.Label))
			x.Live, x.Repository = c.Before.Label, c.After.Label
			out = append(out, x)
		}
		if c.Before.Description != c.After.Description {
			x := with(OptionDescription, fmt.Sprintf("live description of %q is %q; the repository says %q", c.Value, clip(c.Before.Description), clip(c.After.Description)))
			x.Live, x.Repository = c.Before.Description, c.After.Description
			out = append(out, x)
		}
		if c.Before.Hidden && !c.After.Hidden {
			out = append(out, with(OptionHidden, fmt.Sprintf("live hides option %q, which the repository declares active", c.Value)))
		}
		return out
	case plan.MigrateRecords:
		x := with(DeprecatedHeld, fmt.Sprintf("deprecated %q is still held by %d record(s); the repository replaces it with %q", c.From, c.Records, c.To))
		x.Value = c.From
		return []Item{x}
	case plan.Hide:
		return []Item{with(DeprecatedActive, fmt.Sprintf("live still offers deprecated %q; the repository retires it (replaced by %q)", c.Value, declared[c.Value]))}
	case plan.Remove:
		label := ""
		if c.Before != nil {
			label = c.Before.Label
		}
		return []Item{with(OptionUndeclared, fmt.Sprintf("live has option %q (%q), which the repository does not declare; no record holds it", c.Value, label))}
	}
	return []Item{with(Blocked, c.Summary)}
}

// heldItems lists the options of prop the repository does not declare and
// records hold: plan refuses to remove those, so they are problems, not
// changes.
func heldItems(prop *live.Property, declared map[string]string, rec *recorder, src plan.Source) []Item {
	var out []Item
	for _, o := range prop.Options {
		if _, ok := declared[o.Value]; ok {
			continue
		}
		n := rec.count(prop.Binding, o.Value)
		if n == 0 {
			continue
		}
		out = append(out, Item{Kind: OptionUndeclared, Target: prop.Binding, Value: o.Value, Records: n, Source: src,
			Message: fmt.Sprintf("live has option %q (%q), which the repository does not declare; %d record(s) hold it, so mops plan cannot remove it: declare it deprecated with a replacedBy to migrate them", o.Value, o.Label, n)})
	}
	return out
}

// clip shortens a long text for a one-line message.
func clip(s string) string {
	const n = 60
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
