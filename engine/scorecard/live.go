package scorecard

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"time"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/reconcile"
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
// the systems they are bound to the way plan and drift do (systems.Select:
// an unreachable system is a note), and counts the records holding each
// value of every bound taxonomy property.
func measureLive(ctx context.Context, opts Options) (r *LiveReport, err error) {
	// Campaign files are read by name only: taxonomies are what counts.
	b, _, err := load.Load(repofs.DirFS(opts.Dir), load.Options{Shallow: func(string, []byte) bool { return true }})
	if err != nil {
		return nil, fmt.Errorf("load repository: %w", err)
	}
	r = &LiveReport{MeasuredAt: opts.Now().UTC(), Properties: []Completeness{}}
	desired, _ := reconcile.Desired(b)
	bySystem := map[string][]*reconcile.DesiredProperty{}
	for _, d := range desired {
		if d.Source.Kind == string(model.KindTaxonomy) {
			bySystem[d.Binding.System] = append(bySystem[d.Binding.System], d)
		}
	}
	if len(bySystem) == 0 {
		return r, nil
	}
	sel, err := systems.Select(ctx, opts.Dir, b, nil, opts.Getenv, opts.Connect...)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, sel.Close()) }()
	for _, skipped := range sel.Skipped {
		if len(bySystem[skipped.System]) > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("data completeness of %s not measured: %v", skipped.System, skipped))
		}
	}
	for _, conn := range sel.Open {
		name := conn.System.Name
		if len(bySystem[name]) == 0 {
			continue
		}
		if err := measureSystem(ctx, conn.Provider, name, bySystem[name], r); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r.Notes = append(r.Notes, fmt.Sprintf("data completeness of %s not measured: %v", name, err))
		}
	}
	return r, nil
}

func measureSystem(ctx context.Context, p live.Provider, name string, props []*reconcile.DesiredProperty, r *LiveReport) error {
	req := live.ReadRequest{}
	for _, d := range props {
		req.Bindings = append(req.Bindings, d.Binding)
	}
	snap, err := p.Read(ctx, req)
	if err != nil {
		return err
	}
	for _, d := range props {
		b := d.Binding
		lp, ok := snap.Properties[b]
		if !ok {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: property %s.%s does not exist", name, b.Object, b.Property))
			continue
		}
		c := Completeness{System: name, Object: b.Object, Property: b.Property, Taxonomy: d.Source.Name}
		values := map[string]bool{}
		for _, o := range d.Options {
			values[o.Value] = true
			if _, ok := lp.Option(o.Value); !ok {
				c.Drift = append(c.Drift, fmt.Sprintf("declared value %q is not a live option", o.Value))
			}
		}
		for _, o := range lp.Options {
			values[o.Value] = true
			if _, ok := d.Find(o.Value); !ok {
				c.Drift = append(c.Drift, fmt.Sprintf("live option %q is not declared", o.Value))
			}
		}
		slices.Sort(c.Drift)
		list := slices.Sorted(maps.Keys(values))
		counts, err := p.CountRecords(ctx, b, list)
		if err != nil {
			return err
		}
		for v, n := range counts {
			switch o, ok := d.Find(v); {
			case ok && !o.Deprecated:
				c.Active += n
			case ok:
				c.Deprecated += n
			default:
				c.Undeclared += n
			}
		}
		c.Records = c.Active + c.Deprecated + c.Undeclared
		if empty, err := p.CountRecords(ctx, b, []string{""}); err == nil {
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
