package reconcile

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
)

// Options describe the run a plan is made in.
type Options struct {
	// System is the one system Plan reads; PlanSystems ignores it.
	System      string
	Now         time.Time
	MopsVersion string
	Commit      string
	Dirty       bool
	// IncludeKept plans migrations that move the records a system keeps
	// from them by default too (Salesforce: converted Leads; the
	// --include-converted flag), where the integration user may.
	IncludeKept bool
}

// Plan reads the live state behind the repository's bindings in one system
// and returns the plan that makes it match. It reads each object type once,
// and counts records only for values about to go away (migrations and
// removals).
func Plan(ctx context.Context, b *model.Bundle, prov live.Provider, opts Options) (*plan.Plan, error) {
	desired, problems := inSystem(b, opts.System)
	refs, refSrc := subscriptionRefs(b)
	if !prov.Capabilities().SubscriptionTypes {
		refs = nil
	}
	req := live.ReadRequest{SubscriptionTypes: len(refs) > 0}
	for _, d := range desired {
		req.Bindings = append(req.Bindings, d.Binding)
	}
	snap, err := prov.Read(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", opts.System, err)
	}
	hash, err := DesiredHash(b)
	if err != nil {
		return nil, err
	}
	p := &plan.Plan{
		FormatVersion: plan.FormatVersion, MopsVersion: opts.MopsVersion, CreatedAt: opts.Now.UTC(),
		Systems: []string{opts.System}, Commit: opts.Commit, Dirty: opts.Dirty, DesiredHash: hash,
		Fingerprints: map[string]string{}, Changes: []plan.Change{}, Problems: append([]plan.Problem{}, problems...),
	}
	for _, d := range desired {
		prop := snap.Properties[d.Binding]
		if prop == nil {
			p.Fingerprints[d.Binding.String()] = plan.Absent
			if slices.Contains(snap.UnknownObjects, d.Binding.Object) {
				p.Problems = append(p.Problems, plan.Problem{Severity: plan.Error, Target: d.Binding, Source: d.Source,
					Message: fmt.Sprintf("object type %q does not exist in %s; fix the binding's object", d.Binding.Object, opts.System)})
				continue
			}
			p.Changes = append(p.Changes, createProperty(d))
			continue
		}
		p.Fingerprints[d.Binding.String()] = prop.Fingerprint
		changes, probs, err := propertyChanges(ctx, prov, d, prop, opts.IncludeKept)
		if err != nil {
			return nil, err
		}
		p.Problems = append(p.Problems, probs...)
		if len(changes) > 0 && prop.ReadOnlyOptions {
			p.Problems = append(p.Problems, plan.Problem{Severity: plan.Error, Target: d.Binding, Source: d.Source,
				Message: fmt.Sprintf("%s has read-only options in %s (a vendor-defined property), so its %d planned change(s) cannot be made through the API; change them in the vendor's settings or remove the binding", d.Binding, opts.System, len(changes))})
			continue
		}
		p.Changes = append(p.Changes, changes...)
	}
	for _, ref := range refs {
		if _, ok := snap.SubscriptionType(ref); !ok {
			p.Problems = append(p.Problems, plan.Problem{Severity: plan.Warning, Target: live.Binding{System: opts.System}, Source: refSrc[ref],
				Message: fmt.Sprintf("subscription type %q named by %s %s does not exist in %s; subscription types are read-only through the API, so create it in the system's settings", ref, refSrc[ref].Kind, refSrc[ref].Name, opts.System)})
		}
	}
	order(p.Changes)
	return p, nil
}

// PlanSystems plans several systems at once: one plan whose changes are
// grouped by system, so one review and one apply cover them all (a
// taxonomy bound to HubSpot and Salesforce changes in both). Systems are
// planned in name order.
func PlanSystems(ctx context.Context, b *model.Bundle, provs map[string]live.Provider, opts Options) (*plan.Plan, error) {
	names := make([]string, 0, len(provs))
	for n := range provs {
		names = append(names, n)
	}
	slices.Sort(names)
	var out *plan.Plan
	for _, n := range names {
		o := opts
		o.System = n
		p, err := Plan(ctx, b, provs[n], o)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = p
			continue
		}
		out.Systems = append(out.Systems, n)
		out.Changes = append(out.Changes, p.Changes...)
		for _, pr := range p.Problems {
			// A problem about the repository itself (a property bound
			// twice) is found once per system; report it once.
			if !slices.Contains(out.Problems, pr) {
				out.Problems = append(out.Problems, pr)
			}
		}
		for k, v := range p.Fingerprints {
			out.Fingerprints[k] = v
		}
	}
	if out == nil {
		return nil, fmt.Errorf("no system to plan")
	}
	order(out.Changes)
	return out, nil
}

// inSystem is Desired restricted to one system: its properties, and the
// problems about them or about the repository as a whole.
func inSystem(b *model.Bundle, system string) ([]*DesiredProperty, []plan.Problem) {
	all, problems := Desired(b)
	var out []*DesiredProperty
	for _, d := range all {
		if d.Binding.System == system {
			out = append(out, d)
		}
	}
	var probs []plan.Problem
	for _, pr := range problems {
		if pr.Target.System == system || pr.Target.System == "" {
			probs = append(probs, pr)
		}
	}
	return out, probs
}

// order sorts changes into execution order (action rank, then binding, then
// the order they were planned in) and numbers them.
func order(cs []plan.Change) {
	slices.SortStableFunc(cs, func(a, b plan.Change) int {
		return cmp.Or(cmp.Compare(a.Action.Rank(), b.Action.Rank()), a.Target.Compare(b.Target))
	})
	for i := range cs {
		cs[i].Seq = i + 1
	}
}

func createProperty(d *DesiredProperty) plan.Change {
	var opts []live.Option
	for i, o := range d.active() {
		opts = append(opts, live.Option{Value: o.Value, Label: o.Label, Description: o.Description, DisplayOrder: i})
	}
	return plan.Change{Action: plan.Create, Target: d.Binding, Label: d.Label, Options: opts, Source: d.Source,
		Summary: fmt.Sprintf("create property %s (%q) with %d option(s)", d.Binding, d.Label, len(opts))}
}

// propertyChanges diffs one desired property against its live definition.
func propertyChanges(ctx context.Context, prov live.Provider, d *DesiredProperty, prop *live.Property, includeKept bool) ([]plan.Change, []plan.Problem, error) {
	var changes []plan.Change
	var problems []plan.Problem
	add := func(c plan.Change) {
		c.Target, c.Source = d.Binding, d.Source
		changes = append(changes, c)
	}

	// Values offered: create what is missing, relabel or unhide the rest.
	var orderAfter []string
	withCreated := slices.Clone(prop.Options)
	for i, o := range d.active() {
		orderAfter = append(orderAfter, o.Value)
		want := live.Option{Value: o.Value, Label: o.Label, Description: o.Description, DisplayOrder: i}
		cur, ok := prop.Option(o.Value)
		if !ok {
			add(plan.Change{Action: plan.Create, Value: o.Value, After: &want,
				Summary: fmt.Sprintf("add option %q (%q)", o.Value, o.Label)})
			withCreated = append(withCreated, want)
			continue
		}
		upd := cur
		upd.Label, upd.Description, upd.Hidden = o.Label, o.Description, false
		if upd != cur {
			var what []string
			if cur.Label != o.Label {
				what = append(what, fmt.Sprintf("relabel %q: %q -> %q", o.Value, cur.Label, o.Label))
			}
			if cur.Description != o.Description {
				what = append(what, fmt.Sprintf("new description for %q", o.Value))
			}
			if cur.Hidden {
				what = append(what, fmt.Sprintf("unhide %q", o.Value))
			}
			before := cur
			add(plan.Change{Action: plan.Update, Value: o.Value, Before: &before, After: &upd, Summary: strings.Join(what, "; ")})
		}
	}
	// Reorder when the order people will see once the creates are done
	// differs from the repository's. Renumbering alone (display orders 0,
	// 1, 90, say) changes nothing visible, and values on their way out
	// (deprecated, undeclared) do not count: later steps hide or remove
	// them.
	if !slices.Equal(liveOrderOf(&live.Property{Options: withCreated}, orderAfter), orderAfter) {
		add(plan.Change{Action: plan.Update, OrderBefore: liveOrder(prop), OrderAfter: orderAfter,
			Summary: fmt.Sprintf("reorder options of %s", d.Binding)})
	}

	// Values going away: deprecated ones migrate then hide; undeclared ones
	// are removed only when no record holds them.
	var counted []string
	for _, o := range prop.Options {
		if dv, declared := d.Find(o.Value); !declared || dv.Deprecated {
			counted = append(counted, o.Value)
		}
	}
	counts := map[string]int{}
	var cov live.Coverage
	if len(counted) > 0 {
		var err error
		if counts, err = prov.CountRecords(ctx, d.Binding, counted); err != nil {
			return nil, nil, fmt.Errorf("count records of %s: %w", d.Binding, err)
		}
		if cov, err = prov.Coverage(ctx, d.Binding, counted); err != nil {
			return nil, nil, fmt.Errorf("count records of %s: %w", d.Binding, err)
		}
	}
	warn := func(msg string) {
		problems = append(problems, plan.Problem{Severity: plan.Warning, Target: d.Binding, Source: d.Source, Message: msg})
	}
	include := includeKept && len(cov.Kept) > 0
	if include && !cov.Includable {
		problems = append(problems, plan.Problem{Severity: plan.Error, Target: d.Binding, Source: d.Source,
			Message: fmt.Sprintf("%s: %s cannot be included: %s", d.Binding, cov.KeptWhat, cov.KeptWhy)})
		include = false
	}
	fromCounts := len(changes)
	for _, value := range counted {
		cur, _ := prop.Option(value)
		n := counts[value]
		kept := cov.Kept[value]
		if include {
			n += kept
		}
		dv, declared := d.Find(value)
		planned := len(changes)
		noteKept := func() {
			if kept > 0 && !includeKept && len(changes) > planned {
				warn(fmt.Sprintf("%s: %d %s hold %q and will keep it: %s (plan with --include-converted to move them too)", d.Binding, kept, cov.KeptWhat, value, cov.KeptWhy))
			}
		}
		if declared { // deprecated
			if n > 0 {
				add(plan.Change{Action: plan.MigrateRecords, From: value, To: dv.ReplacedBy, Records: n, Destructive: true, IncludeKept: include && kept > 0,
					Summary: fmt.Sprintf("move %d record(s) from %q to %q", n, value, dv.ReplacedBy)})
			}
			if !cur.Hidden {
				before, after := cur, cur
				after.Hidden = true
				add(plan.Change{Action: plan.Hide, Value: value, Before: &before, After: &after,
					Summary: fmt.Sprintf("hide deprecated option %q (replaced by %q)", value, dv.ReplacedBy)})
			}
			noteKept()
			continue
		}
		if n == 0 && cur.Hidden && !prov.Capabilities().DeletesOptions {
			continue // removal is deactivation here, and it is done
		}
		if n > 0 {
			problems = append(problems, plan.Problem{Severity: plan.Error, Target: d.Binding, Source: d.Source,
				Message: fmt.Sprintf("cannot remove option %q of %s: %d record(s) hold it; declare it in %s %s with deprecated: true and replacedBy: <value> so mops migrates the records first", value, d.Binding, n, d.Source.Kind, d.Source.Name)})
			continue
		}
		was := cur
		add(plan.Change{Action: plan.Remove, Value: value, Before: &was, Destructive: true,
			Summary: fmt.Sprintf("remove undeclared option %q (%q); no record holds it", value, cur.Label)})
		noteKept()
	}
	if cov.Hidden != "" && len(changes) > fromCounts {
		warn(fmt.Sprintf("%s: %s", d.Binding, cov.Hidden))
	}
	return changes, problems, nil
}

// liveOrder lists a property's visible option values in display order.
func liveOrder(p *live.Property) []string {
	opts := slices.Clone(p.Options)
	slices.SortStableFunc(opts, func(a, b live.Option) int { return cmp.Compare(sortKey(a.DisplayOrder), sortKey(b.DisplayOrder)) })
	var out []string
	for _, o := range opts {
		if !o.Hidden {
			out = append(out, o.Value)
		}
	}
	return out
}

// liveOrderOf is liveOrder restricted to the given values.
func liveOrderOf(p *live.Property, values []string) []string {
	var out []string
	for _, v := range liveOrder(p) {
		if slices.Contains(values, v) {
			out = append(out, v)
		}
	}
	return out
}

// sortKey puts HubSpot's displayOrder -1 after every positive value.
func sortKey(order int) int {
	if order < 0 {
		return int(^uint(0) >> 1)
	}
	return order
}

// DesiredHash hashes the documents a plan depends on: the Project, every
// Taxonomy, LifecycleModel and ConsentPolicy. Campaign edits do not make a
// plan stale.
func DesiredHash(b *model.Bundle) (string, error) {
	type entry struct {
		Key   string         `json:"key"`
		Value map[string]any `json:"value"`
	}
	var entries []entry
	if b.Project != nil {
		entries = append(entries, entry{"Project", b.Project.Value})
	}
	for _, d := range b.Docs {
		switch d.Kind {
		case model.KindTaxonomy, model.KindLifecycleModel, model.KindConsentPolicy:
			entries = append(entries, entry{d.Key().String(), d.Value})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.Key, b.Key) })
	data, err := json.Marshal(entries)
	if err != nil {
		return "", fmt.Errorf("hash desired documents: %w", err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
