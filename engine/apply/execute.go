package apply

import (
	"context"
	"fmt"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
)

// run is one apply run: the plan it carries out and the change log it
// records in.
type run struct {
	req       Request
	plan      *plan.Plan
	approvers []string
	log       *changelog.Log
}

// record appends r to the change log with what every record of the run
// carries.
func (x *run) record(r changelog.Record) (changelog.Record, error) {
	r.Actor, r.Approvers, r.Commit = x.req.Actor, x.approvers, x.req.Commit
	r.PlanHash, r.PlanID = x.req.Plan.Hash, x.plan.ID
	r.System = x.plan.SystemList()
	if r.Change != nil {
		r.System = r.Change.Target.System
	}
	r.Time = x.req.Now().UTC()
	return x.log.Append(r)
}

// crash asks the fault-injection hook whether the run stops at pt.
func (x *run) crash(pt Point) error {
	if x.req.Crash == nil {
		return nil
	}
	if err := x.req.Crash(pt); err != nil {
		return fmt.Errorf("%w at step %d (%s): %w", ErrInjected, pt.Seq, pt.At, err)
	}
	return nil
}

// execute runs the plan's changes in order. Each step that writes to live
// records its intent first and its outcome after, so whatever stops the
// run, no write is without a record. A failed step ends the run with a
// run-end record "aborted"; a fresh plan shows what is left.
func execute(ctx context.Context, req Request, p *plan.Plan, approvers []string, log *changelog.Log) (*Result, error) {
	x := &run{req: req, plan: p, approvers: approvers, log: log}
	start := changelog.Record{Type: changelog.RunStart, Result: changelog.ResultStarted}
	if req.Emergency {
		start.Emergency = req.Reason
	}
	if _, err := x.record(start); err != nil {
		return nil, err
	}
	res := &Result{Plan: p}
	for _, c := range p.Changes {
		step, err := x.step(ctx, c)
		if err != nil {
			// Stopped between a write and its record, or the log cannot
			// be written: record nothing more.
			return res, err
		}
		res.Steps = append(res.Steps, step)
		if req.Progress != nil {
			req.Progress(step)
		}
		if step.Err != nil {
			if _, err := x.record(changelog.Record{Type: changelog.RunEnd, Result: changelog.ResultAborted, Error: fmt.Sprintf("step %d failed", c.Seq)}); err != nil {
				return res, err
			}
			return res, fmt.Errorf("step %d (%s %s) failed: %w; the change log records what was done, and mops plan shows what is left", c.Seq, c.Action, c.Target, step.Err)
		}
		if err := x.crash(Point{Seq: c.Seq, At: AtRecorded}); err != nil {
			return res, err
		}
	}
	if _, err := x.record(changelog.Record{Type: changelog.RunEnd, Result: changelog.ResultCompleted}); err != nil {
		return res, err
	}
	return res, nil
}

// step carries out one change and records it. It reads live first, so
// running it again after a crash does only what is still missing. The
// error is for what stops the run without an outcome record (an injected
// crash, a change log that cannot be written); a step that fails is a
// StepResult with Err, recorded.
func (x *run) step(ctx context.Context, c plan.Change) (StepResult, error) {
	out := StepResult{Change: c}
	fail := func(err error) (StepResult, error) {
		out.Result, out.Err = changelog.ResultFailed, err
		_, rerr := x.record(changelog.Record{Type: changelog.Change, Change: &c, Result: out.Result, Error: err.Error()})
		return out, rerr
	}
	prov := x.req.Providers[c.Target.System]
	var intended any
	var write func(intent int) (StepResult, error)
	switch {
	case c.Action == plan.MigrateRecords:
		m := live.Migration{Binding: c.Target, From: c.From, To: c.To, IncludeKept: c.IncludeKept, Progress: x.req.Work}
		intended = m
		write = func(intent int) (StepResult, error) { return x.migrate(ctx, prov, c, m, intent) }
	case c.Action == plan.Create && c.Value == "":
		ch := live.Change{Binding: c.Target, Action: live.ActionCreateProperty, Label: c.Label, Options: c.Options}
		intended = ch
		write = func(int) (StepResult, error) {
			ar, err := prov.Apply(ctx, ch)
			return applied(out, ar, err), nil
		}
	default:
		if c.Action == plan.Remove {
			// Records are not part of the live fingerprint: count again,
			// so an option is never removed from under records that took
			// it since the plan was derived.
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
		ch := live.Change{Binding: c.Target, Action: live.ActionSetOptions, Options: c.ApplyTo(prop.Options)}
		intended = ch
		write = func(int) (StepResult, error) {
			ar, err := prov.Apply(ctx, ch)
			return applied(out, ar, err), nil
		}
	}
	intent, err := x.record(changelog.Record{Type: changelog.Intent, Change: &c, After: intended, Result: changelog.ResultIntended})
	if err != nil {
		return out, err
	}
	if err := x.crash(Point{Seq: c.Seq, At: AtIntent}); err != nil {
		return out, err
	}
	if out, err = write(intent.Seq); err != nil {
		return out, err
	}
	if err := x.crash(Point{Seq: c.Seq, At: AtWritten}); err != nil {
		return out, err
	}
	r := changelog.Record{Type: changelog.Change, Change: &c, Intent: intent.Seq, Result: out.Result, Before: out.before, After: out.after}
	if out.Err != nil {
		r.Error = out.Err.Error()
	}
	_, err = x.record(r)
	return out, err
}

// migrate moves the records of a migrate-records step, recording each
// batch live accepted as it goes.
func (x *run) migrate(ctx context.Context, prov live.Provider, c plan.Change, m live.Migration, intent int) (StepResult, error) {
	out := StepResult{Change: c}
	var stopped error
	mr, err := prov.MigrateRecords(ctx, m, func(b live.BatchResult) error {
		if stopped = x.crash(Point{Seq: c.Seq, At: AtBatch, Batch: b.Seq}); stopped != nil {
			return stopped
		}
		_, stopped = x.record(changelog.Record{Type: changelog.Batch, Change: &c, Intent: intent, After: b, Result: changelog.ResultApplied})
		return stopped
	})
	if stopped != nil {
		return out, stopped
	}
	out.Records, out.after = mr.Updated, mr
	switch {
	case err != nil:
		out.Result, out.Err = changelog.ResultFailed, err
	case mr.Failed > 0:
		out.Result, out.Err = changelog.ResultFailed, fmt.Errorf("%d record(s) refused the new value", mr.Failed)
	case mr.Updated == 0:
		out.Result = changelog.ResultUnchanged
	default:
		out.Result = changelog.ResultApplied
	}
	return out, nil
}

// applied turns what Provider.Apply returned into the step's result.
func applied(out StepResult, ar *live.ApplyResult, err error) StepResult {
	if err != nil {
		out.Result, out.Err = changelog.ResultFailed, err
		return out
	}
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
func dryRun(ctx context.Context, req Request, p *plan.Plan) (*Result, error) {
	res := &Result{Plan: p}
	for _, c := range p.Changes {
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
