package drift

import (
	"context"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/reconcile"
)

// Target is one system a check covers: open, or skipped.
type Target struct {
	Name string
	// Provider reads the system; nil when it is skipped.
	Provider live.Provider
	// Skipped says why the system is not read (it cannot be reached from
	// here).
	Skipped string
}

// Options describe the run a check is made in.
type Options struct {
	Now         time.Time
	MopsVersion string
	Commit      string
	Dirty       bool
	// AllSystems says the targets are every bound system, for the
	// report's heading.
	AllSystems bool
}

// Check plans each target as mops plan does and words the plan from live's
// side; then it compares the live properties each document binds, among
// those read. A system that cannot be read is reported as failed and does
// not hide the others.
func Check(ctx context.Context, b *model.Bundle, targets []Target, opts Options) *Report {
	rep := &Report{CheckedAt: opts.Now.UTC(), Commit: opts.Commit, Dirty: opts.Dirty, AllSystems: opts.AllSystems,
		Systems: []System{}, Parity: []ParityItem{}}
	snaps := map[string]*live.Snapshot{}
	for _, t := range targets {
		sd, snap := check(ctx, b, t, opts)
		if snap != nil {
			snaps[t.Name] = snap
		}
		rep.Systems = append(rep.Systems, sd)
		rep.Drift = rep.Drift || len(sd.Items) > 0
	}
	rep.Parity = parity(b, snaps)
	rep.Drift = rep.Drift || len(rep.Parity) > 0
	return rep
}

// check plans one system and words the plan from live's side. It returns
// the snapshot plan read, for parity.
func check(ctx context.Context, b *model.Bundle, t Target, opts Options) (System, *live.Snapshot) {
	sd := System{System: t.Name, Status: StatusChecked, Items: []Item{}, Errors: []string{}}
	if t.Provider == nil {
		sd.Status, sd.Reason = StatusSkipped, t.Skipped
		return sd, nil
	}
	rec := &recorder{Provider: t.Provider, counts: map[live.Binding]map[string]int{}}
	p, err := reconcile.Plan(ctx, b, rec, reconcile.Options{
		System: t.Name, Now: opts.Now, MopsVersion: opts.MopsVersion, Commit: opts.Commit, Dirty: opts.Dirty,
	})
	if err != nil {
		sd.Status, sd.Reason = StatusFailed, err.Error()
		return sd, nil
	}
	sd.Items, sd.Errors = describe(b, p, rec)
	return sd, rec.snapshot()
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
