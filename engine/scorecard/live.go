package scorecard

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"time"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repofs"
)

// LiveReport is what the live systems say now: data completeness of each
// bound taxonomy property, and drift.
type LiveReport struct {
	// MeasuredAt is when the systems were read.
	MeasuredAt time.Time      `json:"measuredAt"`
	Properties []Completeness `json:"properties"`
	// Drift counts the options of bound properties that differ from the
	// repository: live options it does not declare, and declared values
	// live lacks.
	Drift int `json:"drift"`
	// Notes say which systems could not be reached.
	Notes []string `json:"notes,omitempty"`
}

// Completeness is how the records of one bound property are filled.
type Completeness struct {
	System   string `json:"system"`
	Object   string `json:"object"`
	Property string `json:"property"`
	Taxonomy string `json:"taxonomy"`
	// Records is the number counted: the sum of the four kinds below (for
	// a multi-valued property, values held rather than records).
	Records    int `json:"records"`
	Active     int `json:"active"`
	Deprecated int `json:"deprecated"`
	Undeclared int `json:"undeclared"`
	// Empty is nil when the system cannot count records without a value.
	Empty *int `json:"empty"`
	// Percent of Records, by kind (nil when Records is 0).
	ActivePct     *float64 `json:"activePercent"`
	DeprecatedPct *float64 `json:"deprecatedPercent"`
	UndeclaredPct *float64 `json:"undeclaredPercent"`
	EmptyPct      *float64 `json:"emptyPercent"`
	// Drift lists the options that differ from the repository.
	Drift []string `json:"drift,omitempty"`
}

// measureLive reads the taxonomies as they are in the working tree, opens
// each system they are bound to (an unreachable system is a note), and
// counts the records holding each value.
func measureLive(ctx context.Context, opts Options) (*LiveReport, error) {
	// Campaign files are read by name only: taxonomies are what counts.
	b, _, err := load.Load(repofs.DirFS(opts.Dir), load.Options{Shallow: func(string, []byte) bool { return true }})
	if err != nil {
		return nil, fmt.Errorf("load repository: %w", err)
	}
	proj, err := b.ProjectSpec()
	if err != nil {
		return nil, fmt.Errorf("read mops.yaml: %w", err)
	}
	r := &LiveReport{MeasuredAt: opts.Now().UTC(), Properties: []Completeness{}}
	bySystem := map[string][]binding{}
	for _, d := range b.ByKind(model.KindTaxonomy) {
		for _, bd := range bindingsOf(d) {
			bySystem[bd.System] = append(bySystem[bd.System], bd)
		}
	}
	for _, name := range b.BoundSystems() {
		if len(bySystem[name]) == 0 {
			continue
		}
		if err := measureSystem(ctx, opts.Dir, proj, name, opts.Getenv, bySystem[name], r); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r.Notes = append(r.Notes, fmt.Sprintf("data completeness of %s not measured: %v", name, err))
		}
	}
	return r, nil
}

// binding is one taxonomy binding with the taxonomy's values.
type binding struct {
	live.Binding
	taxonomy string
	active   map[string]bool
	declared map[string]bool
}

func bindingsOf(d *model.Document) []binding {
	spec := d.Spec()
	active, declared := map[string]bool{}, map[string]bool{}
	values, _ := spec["values"].([]any)
	for _, v := range values {
		m, _ := v.(map[string]any)
		value, _ := m["value"].(string)
		if value == "" {
			continue
		}
		declared[value] = true
		if dep, _ := m["deprecated"].(bool); !dep {
			active[value] = true
		}
	}
	var out []binding
	list, _ := spec["bindings"].([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		bd := binding{Binding: live.Binding{System: str(m["system"]), Object: str(m["object"]), Property: str(m["property"])},
			taxonomy: d.Name, active: active, declared: declared}
		if bd.System != "" && bd.Object != "" && bd.Property != "" {
			out = append(out, bd)
		}
	}
	return out
}

func measureSystem(ctx context.Context, dir string, proj model.Project, name string, getenv func(string) string, bs []binding, r *LiveReport) (err error) {
	conn, err := systems.Open(dir, proj, name, getenv)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	req := live.ReadRequest{}
	for _, b := range bs {
		req.Bindings = append(req.Bindings, b.Binding)
	}
	snap, err := conn.Provider.Read(ctx, req)
	if err != nil {
		return err
	}
	for _, b := range bs {
		p, ok := snap.Properties[b.Binding]
		if !ok {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: property %s.%s does not exist", name, b.Object, b.Property))
			continue
		}
		c := Completeness{System: name, Object: b.Object, Property: b.Property, Taxonomy: b.taxonomy}
		values := map[string]bool{}
		for v := range b.declared {
			values[v] = true
		}
		for _, o := range p.Options {
			values[o.Value] = true
			if !b.declared[o.Value] {
				c.Drift = append(c.Drift, fmt.Sprintf("live option %q is not declared", o.Value))
			}
		}
		for v := range b.declared {
			if _, ok := p.Option(v); !ok {
				c.Drift = append(c.Drift, fmt.Sprintf("declared value %q is not a live option", v))
			}
		}
		slices.Sort(c.Drift)
		list := make([]string, 0, len(values))
		for v := range values {
			list = append(list, v)
		}
		slices.Sort(list)
		counts, err := conn.Provider.CountRecords(ctx, b.Binding, list)
		if err != nil {
			return err
		}
		for v, n := range counts {
			switch {
			case b.active[v]:
				c.Active += n
			case b.declared[v]:
				c.Deprecated += n
			default:
				c.Undeclared += n
			}
		}
		c.Records = c.Active + c.Deprecated + c.Undeclared
		if empty, err := conn.Provider.CountRecords(ctx, b.Binding, []string{""}); err == nil {
			n := empty[""]
			c.Empty = &n
			c.Records += n
		}
		c.ActivePct, c.DeprecatedPct, c.UndeclaredPct = pct(c.Active, c.Records), pct(c.Deprecated, c.Records), pct(c.Undeclared, c.Records)
		if c.Empty != nil {
			c.EmptyPct = pct(*c.Empty, c.Records)
		}
		r.Drift += len(c.Drift)
		r.Properties = append(r.Properties, c)
	}
	return nil
}

func pct(n, total int) *float64 {
	if total == 0 {
		return nil
	}
	p := math.Round(1000*float64(n)/float64(total)) / 10
	return &p
}

// activity counts, per week, the changes the change log at path records
// as applied and the apply runs.
func activity(r *Report, path string) error {
	recs, err := changelog.Read(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("governance activity not counted: %w", err)
	}
	index := map[string]int{}
	for i, w := range r.Weeks {
		index[w.Start] = i
	}
	for _, rec := range recs {
		i, ok := index[weekStart(rec.Time).Format(dateLayout)]
		if !ok {
			continue
		}
		switch {
		case rec.Type == changelog.RunStart:
			r.Weeks[i].Runs++
		case rec.Type == changelog.Change && rec.Result == changelog.ResultApplied:
			r.Weeks[i].Changes++
		}
	}
	return nil
}
