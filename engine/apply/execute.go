package apply

import (
	"context"
	"fmt"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
)

func desiredHash(b *model.Bundle) (string, error) { return reconcile.DesiredHash(b) }

// execute runs the plan's changes in order, logging each before the next.
// A failed step ends the run with a run-end record "aborted"; the log stays
// consistent, and a fresh plan shows what is left.
func execute(ctx context.Context, req Request, log *changelog.Log) (*Result, error) {
	p := req.Plan
	base := changelog.Record{Actor: req.Actor, Approvers: req.Approvers, Commit: req.Commit, PlanHash: p.Hash, System: p.SystemList()}
	rec := func(r changelog.Record) error {
		r.Actor, r.Approvers, r.Commit, r.PlanHash = base.Actor, base.Approvers, base.Commit, base.PlanHash
		r.System = base.System
		if r.Change != nil {
			r.System = r.Change.Target.System
		}
		r.Time = req.Now().UTC()
		_, err := log.Append(r)
		return err
	}
	start := changelog.Record{Type: changelog.RunStart, Result: changelog.ResultStarted}
	if req.Emergency {
		start.Emergency = req.Reason
	}
	if err := rec(start); err != nil {
		return nil, err
	}
	res := &Result{}
	for _, c := range p.Changes {
		step := runStep(ctx, req, c, rec)
		res.Steps = append(res.Steps, step)
		if req.Progress != nil {
			req.Progress(step)
		}
		r := changelog.Record{Type: changelog.Change, Change: &step.Change, Result: step.Result, Before: step.before, After: step.after}
		if step.Err != nil {
			r.Error = step.Err.Error()
		}
		if err := rec(r); err != nil {
			return res, err
		}
		if step.Err != nil {
			if err := rec(changelog.Record{Type: changelog.RunEnd, Result: changelog.ResultAborted, Error: fmt.Sprintf("step %d failed", c.Seq)}); err != nil {
				return res, err
			}
			return res, fmt.Errorf("step %d (%s %s) failed: %w; the change log records what was done, and mops plan shows what is left", c.Seq, c.Action, c.Target, step.Err)
		}
		if req.AfterStep != nil {
			if err := req.AfterStep(c.Seq); err != nil {
				return res, fmt.Errorf("%w: %w", ErrInjected, err)
			}
		}
	}
	if err := rec(changelog.Record{Type: changelog.RunEnd, Result: changelog.ResultCompleted}); err != nil {
		return res, err
	}
	return res, nil
}

// runStep carries out one change. Every step reads live first, so running
// it again after a crash does nothing more than what is still missing.
func runStep(ctx context.Context, req Request, c plan.Change, rec func(changelog.Record) error) StepResult {
	out := StepResult{Change: c}
	prov := req.Providers[c.Target.System]
	fail := func(err error) StepResult {
		out.Result, out.Err = changelog.ResultFailed, err
		return out
	}
	switch {
	case c.Action == plan.MigrateRecords:
		m := live.Migration{Binding: c.Target, From: c.From, To: c.To, Progress: req.Work}
		mr, err := prov.MigrateRecords(ctx, m, func(b live.BatchResult) error {
			return rec(changelog.Record{Type: changelog.Batch, Change: &c, After: b, Result: changelog.ResultApplied})
		})
		out.Records = mr.Updated
		out.after = mr
		if err != nil {
			return fail(err)
		}
		out.Result = changelog.ResultApplied
		if mr.Updated == 0 {
			out.Result = changelog.ResultUnchanged
		}
		if mr.Failed > 0 {
			return fail(fmt.Errorf("%d record(s) refused the new value", mr.Failed))
		}
		return out
	case c.Action == plan.Create && c.Value == "":
		ar, err := prov.Apply(ctx, live.Change{Binding: c.Target, Action: live.ActionCreateProperty, Label: c.Label, Options: c.Options})
		if err != nil {
			return fail(err)
		}
		return applied(out, ar)
	case c.Action == plan.Remove:
		// Plan counted no record holding the value, but records are not
		// part of the live fingerprint: count again, so an option is never
		// removed from under records that took it since.
		n, err := prov.CountRecords(ctx, c.Target, []string{c.Value})
		if err != nil {
			return fail(fmt.Errorf("count records holding %q: %w", c.Value, err))
		}
		if n[c.Value] > 0 {
			return fail(fmt.Errorf("cannot remove option %q: %d record(s) hold it now; run mops plan again", c.Value, n[c.Value]))
		}
	}
	snap, err := prov.Read(ctx, live.ReadRequest{Bindings: []live.Binding{c.Target}})
	if err != nil {
		return fail(err)
	}
	prop := snap.Properties[c.Target]
	if prop == nil {
		return fail(fmt.Errorf("%s no longer exists", c.Target))
	}
	ar, err := prov.Apply(ctx, live.Change{Binding: c.Target, Action: live.ActionSetOptions, Options: c.ApplyTo(prop.Options)})
	if err != nil {
		return fail(err)
	}
	return applied(out, ar)
}

func applied(out StepResult, ar *live.ApplyResult) StepResult {
	out.Result = changelog.ResultUnchanged
	if ar.Changed {
		out.Result = changelog.ResultApplied
	}
	if ar.Before != nil {
		out.before = ar.Before.Options
	}
	if ar.After != nil {
		out.after = ar.After.Options
	}
	return out
}

// dryRun walks the plan against live without writing: for each step it
// says whether live already matches.
func dryRun(ctx context.Context, req Request) (*Result, error) {
	res := &Result{}
	for _, c := range req.Plan.Changes {
		step := StepResult{Change: c, Result: "would-apply"}
		prov := req.Providers[c.Target.System]
		if c.Action != plan.MigrateRecords && c.Value != "" {
			snap, err := prov.Read(ctx, live.ReadRequest{Bindings: []live.Binding{c.Target}})
			if err != nil {
				return res, err
			}
			if prop := snap.Properties[c.Target]; prop != nil && live.SameOptions(prop.Options, c.ApplyTo(prop.Options)) {
				step.Result = changelog.ResultUnchanged
			}
		}
		if c.Action == plan.MigrateRecords {
			n, err := prov.CountRecords(ctx, c.Target, []string{c.From})
			if err != nil {
				return res, err
			}
			step.Records = n[c.From]
		}
		res.Steps = append(res.Steps, step)
		if req.Progress != nil {
			req.Progress(step)
		}
	}
	return res, nil
}
