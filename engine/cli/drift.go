package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/reconcile"
)

type driftFlags struct {
	system     string
	allSystems bool
}

func newDrift(env Env, g *globals) *cobra.Command {
	f := &driftFlags{}
	cmd := &cobra.Command{
		Use:   "drift",
		Short: "Report what live has that the repository does not",
		Long: `Read the live system behind the repository's bindings and report every
difference, worded from live's side: options live has that the repository
does not declare, labels, descriptions and order that differ, deprecated
values still offered or still held by records, bound properties and options
live lacks, subscription types named by consent policies that live lacks.
It computes the same plan as mops plan, so no drift means mops plan shows
no changes; it writes nothing.

With --all-systems, drift reads every system that a Taxonomy or
LifecycleModel binds. A system whose token environment variable is unset
(or whose provider is not built yet) is reported as skipped, not as a
failure. It also compares the live properties bound by each document with
one another (parity): a value active in one and hidden or absent in
another, or labelled differently, is drift too.

Exit codes: 0 no drift, 2 drift, 1 error (the repository does not
validate, a system could not be read, or a binding cannot be compared).

Formats: text, markdown (a GitHub issue body, for a scheduled drift job),
json.`,
		Example: `  mops drift --dir examples/acme
  mops drift --system hubspot-prod --format markdown > drift.md
  mops drift --all-systems --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch g.format {
			case "text", "markdown", "json":
			default:
				return exitf(ExitFailed, "unknown format %q; supported: text, markdown, json", g.format)
			}
			if f.system != "" && f.allSystems {
				return exitf(ExitFailed, "--system and --all-systems exclude each other")
			}
			rep, err := runDrift(cmd.Context(), env, g, f)
			if err != nil {
				var ee *ExitError
				if errors.As(err, &ee) && ee.Code == ExitCannot {
					ee.Code = ExitFailed // 2 means drift here
				}
				return err
			}
			if err := writeDrift(env.Stdout, g.format, rep, env.color(env.Stdout)); err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			if code := rep.exitCode(); code != ExitOK {
				return &ExitError{Code: code}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&f.system, "system", "", "system `NAME` from mops.yaml (default: spec.defaultSystem)")
	cmd.Flags().BoolVar(&f.allSystems, "all-systems", false, "read every bound system and compare them with one another (parity)")
	return cmd
}

// Exit code of drift when live differs (CLI.md).
const exitDrift = 2

// driftReport is the result of mops drift; the json format writes it as is.
type driftReport struct {
	// Drift is true when any checked system differs from the repository
	// or the bound systems differ from one another.
	Drift      bool          `json:"drift"`
	CheckedAt  time.Time     `json:"checkedAt"`
	Commit     string        `json:"commit,omitempty"`
	Dirty      bool          `json:"dirty,omitempty"`
	AllSystems bool          `json:"allSystems"`
	Systems    []systemDrift `json:"systems"`
	// Parity lists values that differ between the live properties one
	// document binds (only with --all-systems).
	Parity []parityItem `json:"parity"`
}

// Status of one system in a drift report.
const (
	statusChecked = "checked"
	statusSkipped = "skipped"
	statusFailed  = "failed"
)

// systemDrift is what drift found in one system.
type systemDrift struct {
	System string `json:"system"`
	// Status is checked, skipped (unreachable: no token, no provider) or
	// failed (could not be read).
	Status string `json:"status"`
	// Reason says why a system was skipped or failed.
	Reason string      `json:"reason,omitempty"`
	Items  []driftItem `json:"items"`
	// Errors are repository problems that keep a binding from being
	// compared (a property bound twice, an object type live lacks).
	Errors []string `json:"errors"`
}

// Kinds of drift items (stable; the json format carries them).
const (
	driftPropertyMissing     = "property-missing"          // live lacks a bound property
	driftOptionMissing       = "option-missing"            // live lacks a declared value
	driftOptionUndeclared    = "option-undeclared"         // live has a value the repository does not declare
	driftOptionLabel         = "option-label"              // labels differ
	driftOptionDescription   = "option-description"        // descriptions differ
	driftOptionHidden        = "option-hidden"             // live hides a value the repository declares active
	driftOptionOrder         = "option-order"              // display order differs
	driftDeprecatedActive    = "deprecated-active"         // live still offers a deprecated value
	driftDeprecatedHeld      = "deprecated-held"           // records still hold a deprecated value
	driftSubscriptionMissing = "subscription-type-missing" // a consent policy names a subscription type live lacks
	driftReadOnly            = "read-only"                 // live differs but its options cannot be changed through the API
	driftBlocked             = "blocked"                   // another difference plan cannot resolve
)

// driftItem is one difference between live and the repository, worded
// from live's side.
type driftItem struct {
	Kind   string       `json:"kind"`
	Target live.Binding `json:"target"`
	// Value is the option concerned; empty for property-level items.
	Value string `json:"value,omitempty"`
	// Live and Repository are the differing texts (labels, descriptions).
	Live       string `json:"live,omitempty"`
	Repository string `json:"repository,omitempty"`
	// LiveOrder and RepositoryOrder are the values in display order, for
	// option-order.
	LiveOrder       []string `json:"liveOrder,omitempty"`
	RepositoryOrder []string `json:"repositoryOrder,omitempty"`
	// Records is how many records hold Value, where it matters.
	Records int    `json:"records"`
	Message string `json:"message"`
	// PlanStep is the seq of the mops plan change that would restore the
	// repository's state; 0 when plan cannot do it.
	PlanStep int         `json:"planStep,omitempty"`
	Source   plan.Source `json:"source"`
}

// parityItem is a value that differs between live properties bound by the
// same document.
type parityItem struct {
	// Kind is presence (active in some, hidden or absent in others) or
	// label.
	Kind     string      `json:"kind"`
	Document plan.Source `json:"document"`
	Value    string      `json:"value"`
	// Bindings maps each binding compared (system:object.property) to its
	// state (active, hidden, absent) or its label.
	Bindings map[string]string `json:"bindings"`
	Message  string            `json:"message"`
}

func (r *driftReport) exitCode() int {
	for _, s := range r.Systems {
		if s.Status == statusFailed || len(s.Errors) > 0 {
			return ExitFailed
		}
	}
	if r.Drift {
		return exitDrift
	}
	return ExitOK
}

// runDrift validates the repository and checks one system, or every bound
// one.
func runDrift(ctx context.Context, env Env, g *globals, f *driftFlags) (*driftReport, error) {
	b, err := loadValid(ctx, env, g)
	if err != nil {
		return nil, err
	}
	proj, err := b.ProjectSpec()
	if err != nil {
		return nil, exitf(ExitFailed, "%w", err)
	}
	commit, dirty := gitState(g.dir)
	rep := &driftReport{CheckedAt: env.Now().UTC(), Commit: commit, Dirty: dirty, AllSystems: f.allSystems,
		Systems: []systemDrift{}, Parity: []parityItem{}}
	names := []string{f.system}
	if f.allSystems {
		if names = boundSystems(b, proj); len(names) == 0 {
			return nil, exitf(ExitFailed, "no Taxonomy or LifecycleModel binds a live system; nothing to compare")
		}
	}
	chk := &driftCheck{env: env, dir: g.dir, systemOptions: g.systemOptions(env), bundle: b, project: proj, commit: commit, dirty: dirty, lenient: f.allSystems}
	snaps := map[string]*live.Snapshot{}
	for _, name := range names {
		sd, snap, err := chk.system(ctx, name)
		if err != nil {
			return nil, err
		}
		if snap != nil {
			snaps[sd.System] = snap
		}
		rep.Systems = append(rep.Systems, sd)
		rep.Drift = rep.Drift || len(sd.Items) > 0
	}
	if f.allSystems {
		rep.Parity = parity(b, snaps)
		rep.Drift = rep.Drift || len(rep.Parity) > 0
	}
	return rep, nil
}

// boundSystems lists the Project systems some Taxonomy or LifecycleModel
// binds, in mops.yaml order.
func boundSystems(b *model.Bundle, proj model.Project) []string {
	bound := map[string]bool{}
	for _, d := range b.Docs {
		bs, _ := governed(d)
		for _, bd := range bs {
			bound[bd.System] = true
		}
	}
	var out []string
	for _, s := range proj.Systems {
		if bound[s.Name] {
			out = append(out, s.Name)
		}
	}
	return out
}

// unreachable says why a system cannot be read without it being anyone's
// fault: its token variable is unset. "" when it can be tried.
func unreachable(sys model.System, getenv func(string) string) string {
	if sys.TokenEnv != "" && getenv(sys.TokenEnv) == "" {
		return fmt.Sprintf("environment variable %s is not set", sys.TokenEnv)
	}
	return ""
}

// driftCheck is what checking one system needs.
type driftCheck struct {
	env     Env
	dir     string
	bundle  *model.Bundle
	project model.Project
	commit  string
	dirty   bool
	// systemOptions connect to each system (logging to stderr).
	systemOptions []systems.Option
	// lenient (--all-systems) skips an unreachable system and reports a
	// failing one as failed; otherwise both are errors.
	lenient bool
}

// system plans one system and words the plan from live's side. It returns
// the snapshot plan read, for parity.
func (c *driftCheck) system(ctx context.Context, name string) (systemDrift, *live.Snapshot, error) {
	env, b, lenient := c.env, c.bundle, c.lenient
	sd := systemDrift{System: name, Status: statusChecked, Items: []driftItem{}, Errors: []string{}}
	if sys, ok := c.project.System(name); ok {
		sd.System = sys.Name
		if reason := unreachable(sys, env.Getenv); reason != "" && lenient {
			sd.Status, sd.Reason = statusSkipped, reason
			return sd, nil, nil
		}
	}
	sel, err := systems.Select(c.dir, c.bundle, []string{name}, env.Getenv, c.systemOptions...)
	if err != nil {
		switch {
		case !lenient:
			return sd, nil, exitf(ExitFailed, "%w", err)
		case errors.Is(err, live.ErrUnsupported):
			sd.Status, sd.Reason = statusSkipped, err.Error()
		default:
			sd.Status, sd.Reason = statusFailed, err.Error()
		}
		return sd, nil, nil
	}
	defer sel.Close()
	conn := sel.Open[0]
	sd.System = conn.System.Name
	rec := &recorder{Provider: conn.Provider, counts: map[live.Binding]map[string]int{}}
	p, err := reconcile.Plan(ctx, b, rec, reconcile.Options{
		System: conn.System.Name, Now: env.Now(), MopsVersion: env.version(), Commit: c.commit, Dirty: c.dirty,
	})
	if err != nil {
		if !lenient {
			return sd, nil, exitf(ExitFailed, "%w", err)
		}
		sd.Status, sd.Reason = statusFailed, err.Error()
		return sd, nil, nil
	}
	items, errs, err := describe(b, p, rec)
	if err != nil {
		return sd, nil, exitf(ExitFailed, "%w", err)
	}
	sd.Items, sd.Errors = items, errs
	return sd, rec.snapshot(), nil
}

// recorder passes calls through to a provider and keeps what Read and
// CountRecords answered, so drift can word the plan from live's side and
// compare systems without reading live twice.
type recorder struct {
	live.Provider
	mu     sync.Mutex
	snap   *live.Snapshot
	counts map[live.Binding]map[string]int
}

// Read implements live.Provider.
func (r *recorder) Read(ctx context.Context, req live.ReadRequest) (*live.Snapshot, error) {
	s, err := r.Provider.Read(ctx, req)
	if err == nil {
		r.mu.Lock()
		r.snap = s
		r.mu.Unlock()
	}
	return s, err
}

// CountRecords implements live.Provider.
func (r *recorder) CountRecords(ctx context.Context, b live.Binding, values []string) (map[string]int, error) {
	c, err := r.Provider.CountRecords(ctx, b, values)
	if err == nil {
		r.mu.Lock()
		if r.counts[b] == nil {
			r.counts[b] = map[string]int{}
		}
		for v, n := range c {
			r.counts[b][v] = n
		}
		r.mu.Unlock()
	}
	return c, err
}

func (r *recorder) snapshot() *live.Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snap
}

func (r *recorder) count(b live.Binding, value string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[b][value]
}

// describe words plan p from live's side. Plan problems that are the
// repository's own (a property bound twice, an object type that does not
// exist) are returned as errors: drift cannot compare those bindings.
func describe(b *model.Bundle, p *plan.Plan, rec *recorder) ([]driftItem, []string, error) {
	desired, repoProblems := reconcile.Desired(b)
	declared := map[live.Binding]map[string]string{} // value -> replacedBy ("" when active)
	order := map[live.Binding][]string{}
	for _, d := range desired {
		if _, dup := declared[d.Binding]; dup {
			continue
		}
		declared[d.Binding] = map[string]string{}
		for _, o := range d.Options {
			declared[d.Binding][o.Value] = o.ReplacedBy
			order[d.Binding] = append(order[d.Binding], o.Value)
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

	var items []driftItem
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
			items = append(items, driftItem{Kind: driftSubscriptionMissing, Target: pr.Target, Message: pr.Message, Source: pr.Source})
		case slices.Contains(snap.UnknownObjects, pr.Target.Object):
			errs = append(errs, pr.Message)
		case prop != nil && prop.ReadOnlyOptions:
			items = append(items, driftItem{Kind: driftReadOnly, Target: pr.Target, Message: pr.Message, Source: pr.Source})
		case prop != nil && !held[pr.Target]:
			held[pr.Target] = true
			found := heldItems(prop, declared[pr.Target], rec, pr.Source)
			if len(found) == 0 {
				found = []driftItem{{Kind: driftBlocked, Target: pr.Target, Message: pr.Message, Source: pr.Source}}
			}
			items = append(items, found...)
		case prop == nil:
			items = append(items, driftItem{Kind: driftBlocked, Target: pr.Target, Message: pr.Message, Source: pr.Source})
		}
	}
	slices.SortStableFunc(items, func(a, b driftItem) int { return a.Target.Compare(b.Target) })
	if items == nil {
		items = []driftItem{}
	}
	if errs == nil {
		errs = []string{}
	}
	return items, errs, nil
}

// changeItems words one plan change from live's side; an update may hold
// several differences (label, description, hidden).
func changeItems(c plan.Change, declared map[string]string) []driftItem {
	it := driftItem{Target: c.Target, Value: c.Value, PlanStep: c.Seq, Source: c.Source, Records: c.Records}
	with := func(kind, msg string) driftItem {
		x := it
		x.Kind, x.Message = kind, msg
		return x
	}
	switch c.Action {
	case plan.Create:
		if c.Value == "" {
			return []driftItem{with(driftPropertyMissing, fmt.Sprintf("live has no property %s.%s; the repository binds it with %d value(s)", c.Target.Object, c.Target.Property, len(c.Options)))}
		}
		label := ""
		if c.After != nil {
			label = c.After.Label
		}
		return []driftItem{with(driftOptionMissing, fmt.Sprintf("live lacks option %q (%q), which the repository declares", c.Value, label))}
	case plan.Update:
		if c.Value == "" {
			x := with(driftOptionOrder, "live shows the options in another order than the repository")
			x.LiveOrder, x.RepositoryOrder = c.OrderBefore, c.OrderAfter
			return []driftItem{x}
		}
		if c.Before == nil || c.After == nil {
			return []driftItem{with(driftBlocked, c.Summary)}
		}
		var out []driftItem
		if c.Before.Label != c.After.Label {
			x := with(driftOptionLabel, fmt.Sprintf("live label of %q is %q; the repository says %q", c.Value, c.Before.Label, c.After.Label))
			x.Live, x.Repository = c.Before.Label, c.After.Label
			out = append(out, x)
		}
		if c.Before.Description != c.After.Description {
			x := with(driftOptionDescription, fmt.Sprintf("live description of %q is %q; the repository says %q", c.Value, clip(c.Before.Description), clip(c.After.Description)))
			x.Live, x.Repository = c.Before.Description, c.After.Description
			out = append(out, x)
		}
		if c.Before.Hidden && !c.After.Hidden {
			out = append(out, with(driftOptionHidden, fmt.Sprintf("live hides option %q, which the repository declares active", c.Value)))
		}
		return out
	case plan.MigrateRecords:
		x := with(driftDeprecatedHeld, fmt.Sprintf("deprecated %q is still held by %d record(s); the repository replaces it with %q", c.From, c.Records, c.To))
		x.Value = c.From
		return []driftItem{x}
	case plan.Hide:
		return []driftItem{with(driftDeprecatedActive, fmt.Sprintf("live still offers deprecated %q; the repository retires it (replaced by %q)", c.Value, declared[c.Value]))}
	case plan.Remove:
		label := ""
		if c.Before != nil {
			label = c.Before.Label
		}
		return []driftItem{with(driftOptionUndeclared, fmt.Sprintf("live has option %q (%q), which the repository does not declare; no record holds it", c.Value, label))}
	}
	return []driftItem{with(driftBlocked, c.Summary)}
}

// heldItems lists the options of prop the repository does not declare and
// records hold: plan refuses to remove those, so they are problems, not
// changes.
func heldItems(prop *live.Property, declared map[string]string, rec *recorder, src plan.Source) []driftItem {
	var out []driftItem
	for _, o := range prop.Options {
		if _, ok := declared[o.Value]; ok {
			continue
		}
		n := rec.count(prop.Binding, o.Value)
		if n == 0 {
			continue
		}
		out = append(out, driftItem{Kind: driftOptionUndeclared, Target: prop.Binding, Value: o.Value, Records: n, Source: src,
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

// governed returns the bindings and declared values (in order) of a
// Taxonomy or LifecycleModel; nil for other kinds.
func governed(d *model.Document) ([]model.Binding, []string) {
	switch d.Kind {
	case model.KindTaxonomy:
		var t model.Taxonomy
		if d.Decode(&t) != nil {
			return nil, nil
		}
		vals := make([]string, 0, len(t.Values))
		for _, v := range t.Values {
			vals = append(vals, v.Value)
		}
		return t.Bindings, vals
	case model.KindLifecycleModel:
		var m model.LifecycleModel
		if d.Decode(&m) != nil {
			return nil, nil
		}
		vals := make([]string, 0, len(m.Stages))
		for _, s := range m.Stages {
			vals = append(vals, s.ID)
		}
		return m.Bindings, vals
	}
	return nil, nil
}

// Option states compared by parity.
const (
	stateActive = "active"
	stateHidden = "hidden"
	stateAbsent = "absent"
)

// parity compares, for each document binding two or more live properties
// that were read, the values those properties hold: present and active in
// one but hidden or absent in another, or labelled differently. Bindings
// whose system was skipped or whose property is missing are left out (the
// missing property is drift already).
func parity(b *model.Bundle, snaps map[string]*live.Snapshot) []parityItem {
	out := []parityItem{}
	for _, d := range b.Docs {
		bindings, declared := governed(d)
		var props []*live.Property
		seen := map[live.Binding]bool{}
		for _, bd := range bindings {
			lb := live.Binding{System: bd.System, Object: bd.Object, Property: bd.Property}
			snap := snaps[bd.System]
			if snap == nil || seen[lb] || snap.Properties[lb] == nil {
				continue
			}
			seen[lb] = true
			props = append(props, snap.Properties[lb])
		}
		if len(props) < 2 {
			continue
		}
		pos := d.PosOf("spec.bindings")
		src := plan.Source{Kind: string(d.Kind), Name: d.Name, File: d.File, Line: pos.Line}
		values := slices.Clone(declared)
		for _, p := range props {
			for _, o := range p.Options {
				if !slices.Contains(values, o.Value) {
					values = append(values, o.Value)
				}
			}
		}
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
				out = append(out, parityItem{Kind: "presence", Document: src, Value: v, Bindings: states,
					Message: fmt.Sprintf("%s %s: value %q is %s", d.Kind, d.Name, v, strings.Join(parts, "; "))})
			}
			if groups := grouped(props, labels); len(groups) > 1 {
				var parts []string
				for _, g := range groups {
					parts = append(parts, fmt.Sprintf("%q in %s", g.what, strings.Join(g.keys, ", ")))
				}
				out = append(out, parityItem{Kind: "label", Document: src, Value: v, Bindings: labels,
					Message: fmt.Sprintf("%s %s: value %q is labelled %s", d.Kind, d.Name, v, strings.Join(parts, "; "))})
			}
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

// marker is the one-character sign of an item in text and markdown: + live
// has more, - live has less, ~ live differs, ! plan cannot resolve it.
func marker(kind string) string {
	switch kind {
	case driftOptionUndeclared, driftDeprecatedActive:
		return "+"
	case driftPropertyMissing, driftOptionMissing, driftSubscriptionMissing:
		return "-"
	case driftReadOnly, driftBlocked:
		return "!"
	case driftDeprecatedHeld:
		return ">"
	}
	return "~"
}

// driftFormat is the formatVersion of `mops drift --format json`.
const driftFormat = 1

func writeDrift(w io.Writer, format string, r *driftReport, color bool) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			FormatVersion int `json:"formatVersion"`
			*driftReport
		}{driftFormat, r})
	case "markdown":
		return driftMarkdown(w, r)
	}
	return driftText(w, r, color)
}

// itemGroup is the items of one live property.
type itemGroup struct {
	target live.Binding
	source plan.Source
	items  []driftItem
}

// byProperty groups items (sorted by target) per property; items without
// an object (subscription types) come as their own group.
func byProperty(items []driftItem) []itemGroup {
	var out []itemGroup
	for _, it := range items {
		if n := len(out); n > 0 && out[n-1].target == it.Target {
			out[n-1].items = append(out[n-1].items, it)
			continue
		}
		out = append(out, itemGroup{target: it.Target, source: it.Source, items: []driftItem{it}})
	}
	return out
}

func (g itemGroup) title() string {
	if g.target.Object == "" {
		return "subscription types"
	}
	return g.target.Object + "." + g.target.Property
}

func driftText(w io.Writer, r *driftReport, color bool) error {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + "\x1b[0m"
	}
	const bold, dim, red, green, yellow = "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[32m", "\x1b[33m"
	var b bytes.Buffer
	names := make([]string, 0, len(r.Systems))
	for _, s := range r.Systems {
		names = append(names, s.System)
	}
	if r.AllSystems {
		fmt.Fprintf(&b, "%s: every bound system (%s)", paint(bold, "mops drift"), strings.Join(names, ", "))
	} else {
		fmt.Fprintf(&b, "%s: system %s", paint(bold, "mops drift"), strings.Join(names, ", "))
	}
	if r.Commit != "" {
		fmt.Fprintf(&b, ", commit %s", short(r.Commit))
		if r.Dirty {
			b.WriteString(" (uncommitted changes)")
		}
	}
	b.WriteString("\n\n")
	differences := 0
	for _, s := range r.Systems {
		switch s.Status {
		case statusSkipped:
			fmt.Fprintf(&b, "%s: %s %s\n\n", paint(bold, s.System), paint(yellow, "skipped:"), s.Reason)
			continue
		case statusFailed:
			fmt.Fprintf(&b, "%s: %s %s\n\n", paint(bold, s.System), paint(red, "failed:"), s.Reason)
			continue
		}
		differences += len(s.Items)
		if len(s.Items) == 0 && len(s.Errors) == 0 {
			fmt.Fprintf(&b, "%s: %s\n\n", paint(bold, s.System), paint(green, "no drift"))
			continue
		}
		fmt.Fprintf(&b, "%s: %d difference(s)\n", paint(bold, s.System), len(s.Items))
		for _, g := range byProperty(s.Items) {
			fmt.Fprintf(&b, "  %s  %s\n", paint(bold, g.title()), paint(dim, sourceOf(g.source)))
			for _, it := range g.items {
				fmt.Fprintf(&b, "    %s %s\n", paint(yellow, marker(it.Kind)), it.Message)
				if it.Kind == driftOptionOrder {
					fmt.Fprintf(&b, "        live:       %s\n        repository: %s\n", strings.Join(it.LiveOrder, ", "), strings.Join(it.RepositoryOrder, ", "))
				}
			}
		}
		for _, e := range s.Errors {
			fmt.Fprintf(&b, "  %s %s\n", paint(red, "✖ error"), e)
		}
		b.WriteByte('\n')
	}
	if len(r.Parity) > 0 {
		b.WriteString(paint(bold, "Parity between live properties of one document") + "\n")
		for _, p := range r.Parity {
			fmt.Fprintf(&b, "  %s %s\n", paint(yellow, "≠"), p.Message)
		}
		b.WriteByte('\n')
	}
	switch code := r.exitCode(); {
	case code == ExitFailed:
		fmt.Fprintf(&b, "%s: some systems or bindings could not be compared (see above).\n", paint(red, "Drift check failed"))
	case r.Drift:
		fmt.Fprintf(&b, "%s %d difference(s) from the repository", paint(bold, "Drift:"), differences)
		if r.AllSystems {
			fmt.Fprintf(&b, ", %d between live systems", len(r.Parity))
		}
		b.WriteString(". mops plan shows the changes that restore the repository's state; or change the repository to accept what live has.\n")
	default:
		fmt.Fprintf(&b, "%s Live matches the repository.\n", paint(green, "No drift."))
	}
	_, err := w.Write(b.Bytes())
	return err
}

func sourceOf(s plan.Source) string {
	if s.Kind == "" {
		return ""
	}
	if s.File == "" {
		return s.Kind + " " + s.Name
	}
	return fmt.Sprintf("%s %s (%s:%d)", s.Kind, s.Name, s.File, s.Line)
}

// driftMarkdown writes the report as a GitHub issue body: a status table,
// then the differences per system and property, within GitHub's size
// limit.
func driftMarkdown(w io.Writer, r *driftReport) error {
	var b bytes.Buffer
	status := "✅ no drift"
	switch {
	case r.exitCode() == ExitFailed:
		status = "❌ check failed"
	case r.Drift:
		status = "⚠️ live differs from the repository"
	}
	fmt.Fprintf(&b, "### mops drift: %s\n\n", status)
	fmt.Fprintf(&b, "Checked %s", r.CheckedAt.Format("2006-01-02 15:04 UTC"))
	if r.Commit != "" {
		fmt.Fprintf(&b, " against commit `%s`", short(r.Commit))
	}
	b.WriteString(".\n\n| system | status | differences |\n|---|---|---:|\n")
	for _, s := range r.Systems {
		st, n := "✅ no drift", fmt.Sprint(len(s.Items))
		switch {
		case s.Status == statusSkipped:
			st, n = "⏭️ skipped: "+mdEscape(s.Reason), "–"
		case s.Status == statusFailed:
			st, n = "❌ failed: "+mdEscape(s.Reason), "–"
		case len(s.Errors) > 0:
			st = "❌ cannot compare every binding"
		case len(s.Items) > 0:
			st = "⚠️ drift"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", s.System, st, n)
	}
	if r.AllSystems {
		fmt.Fprintf(&b, "| parity | %s | %d |\n", map[bool]string{true: "⚠️ bound properties differ", false: "✅ bound properties agree"}[len(r.Parity) > 0], len(r.Parity))
	}
	b.WriteByte('\n')

	const room = 600
	var lines []string
	for _, s := range r.Systems {
		if s.Status != statusChecked || len(s.Items)+len(s.Errors) == 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("#### `%s`", s.System), "")
		for _, e := range s.Errors {
			lines = append(lines, "- ❌ "+mdEscape(e))
		}
		if len(s.Errors) > 0 {
			lines = append(lines, "")
		}
		for _, g := range byProperty(s.Items) {
			head := fmt.Sprintf("**`%s`**", g.title())
			if src := sourceOf(g.source); src != "" {
				head += " — " + mdEscape(src)
			}
			lines = append(lines, head, "")
			for _, it := range g.items {
				lines = append(lines, fmt.Sprintf("- `%s` %s", marker(it.Kind), mdEscape(it.Message)))
			}
			lines = append(lines, "")
		}
	}
	if len(r.Parity) > 0 {
		lines = append(lines, "#### Parity between live properties of one document", "")
		for _, p := range r.Parity {
			lines = append(lines, "- `≠` "+mdEscape(p.Message))
		}
		lines = append(lines, "")
	}
	left := 0
	for i, l := range lines {
		if b.Len()+len(l)+room > planview.MaxComment {
			left = len(lines) - i
			break
		}
		b.WriteString(l + "\n")
	}
	if left > 0 {
		fmt.Fprintf(&b, "\n_%d more line(s) not shown to stay within GitHub's size limit; run `mops drift` locally or see the job log._\n", left)
	}
	if r.Drift {
		b.WriteString("<sub>`+` live has more · `-` live lacks · `~` live differs · `>` records still hold it · `!` plan cannot resolve it. Run `mops plan` to see the changes that restore the repository's state, or change the repository to accept what live has.</sub>\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// mdEscape keeps a message from breaking a table or injecting HTML.
func mdEscape(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}
