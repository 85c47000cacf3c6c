package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/source"
)

// Resolution is what was recorded for a record a stopped run left open:
// an intent without an outcome, or a run-start without a run-end.
type Resolution struct {
	// Record is the record resolved.
	Record changelog.Record
	// Result is, for an intent, changelog.ResultRecovered (live holds what
	// the step wrote) or changelog.ResultNotApplied (it does not: the step
	// is still to do); for a run, changelog.ResultInterrupted.
	Result string
	// Detail says what live showed, or why the run counts as stopped.
	Detail string
}

// resolve records, for every intent of systems that has no outcome, what
// live shows now, and ends every unfinished run whose systems are all
// among systems with a run-end "interrupted". The caller holds the locks
// of systems, so no other run is writing to them: their open intents are
// a stopped run's.
func resolve(ctx context.Context, log *changelog.Log, provs map[string]live.Provider, systems []string, actor string, now func() time.Time) ([]Resolution, error) {
	recs, err := changelog.Read(log.Path())
	if err != nil {
		return nil, err
	}
	var out []Resolution
	for _, in := range changelog.Pending(recs) {
		if !slices.Contains(systems, in.System) {
			continue
		}
		result, detail, err := reached(ctx, provs[in.System], in)
		if err != nil {
			return out, fmt.Errorf("resolve change log record %d (intent of %s of plan %s): read live: %w", in.Seq, describe(in), in.PlanID, err)
		}
		r := changelog.Record{Type: changelog.Change, Time: now().UTC(), Actor: actor, PlanHash: in.PlanHash, PlanID: in.PlanID,
			System: in.System, Change: in.Change, Intent: in.Seq, Result: result, Note: detail}
		if _, err := log.Append(r); err != nil {
			return out, err
		}
		out = append(out, Resolution{Record: in, Result: result, Detail: detail})
	}
	for _, start := range changelog.Unfinished(recs) {
		if !containsAll(systems, strings.Split(start.System, ", ")) {
			continue
		}
		r := changelog.Record{Type: changelog.RunEnd, Time: now().UTC(), Actor: actor, PlanHash: start.PlanHash, PlanID: start.PlanID,
			System: start.System, Result: changelog.ResultInterrupted,
			Note: fmt.Sprintf("the run that started at record %d stopped before its end; its open steps were checked against live", start.Seq)}
		if _, err := log.Append(r); err != nil {
			return out, err
		}
		out = append(out, Resolution{Record: start, Result: r.Result, Detail: "it stopped before its end; every write it made has its outcome"})
	}
	return out, nil
}

func containsAll(set, items []string) bool {
	for _, it := range items {
		if !slices.Contains(set, it) {
			return false
		}
	}
	return true
}

// reached reads live to tell whether the write an intent announced
// happened: a migration is done when no record holds its old value, a
// property creation when the property exists, an option change when live
// holds the options it wrote (the provider's own judgement, by a probe
// that writes nothing).
func reached(ctx context.Context, prov live.Provider, in changelog.Record) (result, detail string, err error) {
	if prov == nil {
		return "", "", fmt.Errorf("no connection to system %s", in.System)
	}
	c := in.Change
	if c == nil {
		return "", "", fmt.Errorf("the intent names no step")
	}
	switch {
	case c.Action == plan.MigrateRecords:
		var m live.Migration
		if err := redecode(in.After, &m); err != nil {
			return "", "", err
		}
		n, err := prov.CountRecords(ctx, m.Binding, []string{m.From})
		if err != nil {
			return "", "", err
		}
		if n[m.From] == 0 {
			return changelog.ResultRecovered, fmt.Sprintf("no record holds %q any more", m.From), nil
		}
		return changelog.ResultNotApplied, fmt.Sprintf("%d record(s) still hold %q; mops plan moves them", n[m.From], m.From), nil
	case c.Action == plan.Create && c.Value == "":
		snap, err := prov.Read(ctx, live.ReadRequest{Bindings: []live.Binding{c.Target}})
		if err != nil {
			return "", "", err
		}
		if snap.Properties[c.Target] != nil {
			return changelog.ResultRecovered, fmt.Sprintf("%s exists", c.Target), nil
		}
		return changelog.ResultNotApplied, fmt.Sprintf("%s does not exist; mops plan creates it", c.Target), nil
	}
	var ch live.Change
	if err := redecode(in.After, &ch); err != nil {
		return "", "", err
	}
	ch.Probe = true
	ar, err := prov.Apply(ctx, ch)
	if err != nil {
		return "", "", err
	}
	if !ar.Changed {
		return changelog.ResultRecovered, "live holds the options the step wrote", nil
	}
	return changelog.ResultNotApplied, "live does not hold the options the step would have written; mops plan lists what is left", nil
}

// redecode turns what an intent record holds (decoded from JSON as plain
// values) back into the value it was written from.
func redecode(from, to any) error {
	data, err := json.Marshal(from)
	if err != nil {
		return fmt.Errorf("read the intent: %w", err)
	}
	if err := json.Unmarshal(data, to); err != nil {
		return fmt.Errorf("read the intent: %w", err)
	}
	return nil
}

func describe(r changelog.Record) string {
	if r.Change == nil {
		return "no step"
	}
	return r.Change.Describe()
}

// ResolveRequest is a resolution of the change log outside an apply
// (mops log --resolve).
type ResolveRequest struct {
	LogPath, LockDir string
	// Providers holds a provider for every system with an open intent or
	// an unfinished run (see OpenSystems).
	Providers map[string]live.Provider
	Actor     string
	Now       func() time.Time
	Host      string
	PID       int
}

// OpenSystems lists the systems of the change log at path that have an intent
// without an outcome or an unfinished run: those Resolve must reach.
func OpenSystems(path string) ([]string, error) {
	recs, err := changelog.Read(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range changelog.Pending(recs) {
		out = append(out, r.System)
	}
	for _, r := range changelog.Unfinished(recs) {
		out = append(out, strings.Split(r.System, ", ")...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Resolve takes the locks of the request's systems and records, for every
// intent without an outcome, what live shows, and ends the unfinished runs
// (see resolve). It writes nothing to live.
func Resolve(ctx context.Context, req ResolveRequest) ([]Resolution, error) {
	systems := make([]string, 0, len(req.Providers))
	for sys := range req.Providers {
		systems = append(systems, sys)
	}
	slices.Sort(systems)
	for _, sys := range systems {
		unlock, err := lock(filepath.Join(req.LockDir, sys+".lock"), holder{PID: req.PID, Host: req.Host, Actor: req.Actor, PlanHash: "resolve", Since: req.Now()})
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	log, err := changelog.Open(req.LogPath)
	if err != nil {
		return nil, err
	}
	return resolve(ctx, log, req.Providers, systems, req.Actor, req.Now)
}

// PendingProblems are the warnings a plan shows for the writes to its
// systems that a stopped apply left without an outcome (the intents of
// recs no record resolves): each says whether live holds the step, judged
// by whether plan p still has it, and how to record it. lockDir and host
// tell an apply still running (it holds the system's lock) from a crashed
// one.
func PendingProblems(p *plan.Plan, recs []changelog.Record, lockDir, host string) []plan.Problem {
	var out []plan.Problem
	for _, in := range changelog.Pending(recs) {
		if !slices.Contains(p.Systems, in.System) || in.Change == nil {
			continue
		}
		if h, err := readHolder(filepath.Join(lockDir, in.System+".lock")); err == nil && !stale(h, host) {
			out = append(out, plan.Problem{Severity: plan.Warning, Target: in.Change.Target, Source: in.Change.Source,
				Message: source.DisplayLine(fmt.Sprintf("an apply of plan %s is running on %s (%s, pid %d on %s): this plan may change under it", in.PlanID, in.System, h.Actor, h.PID, h.Host))})
			continue
		}
		state := "live holds it, so this plan has nothing left of it"
		if i := slices.IndexFunc(p.Changes, in.Change.SameStep); i >= 0 {
			state = fmt.Sprintf("live does not hold it, so this plan makes it again as step %d", p.Changes[i].Seq)
		}
		// The record comes from the change log, the repository's: one
		// line, inert.
		out = append(out, plan.Problem{Severity: plan.Warning, Target: in.Change.Target, Source: in.Change.Source,
			Message: source.DisplayLine(fmt.Sprintf("change log record %d: an apply of plan %s stopped during %s before recording its outcome; %s. mops apply (or mops log --resolve) records it", in.Seq, in.PlanID, in.Change.Describe(), state))})
	}
	return out
}
