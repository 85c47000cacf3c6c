package apply

import (
	"cmp"
	"context"
	"fmt"
	"strings"

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
// run-end record "aborted"; a fresh plan shows what is left. A migration
// that some records refuse is "partial": the others are written, the run
// goes on, but no later step hides or removes the value those records
// still hold ("skipped"), and the run ends "partial" with a
// *PartialError.
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
	left := leftBehind{}
	var partial PartialError
	for _, c := range p.Changes {
		var step StepResult
		var err error
		if skipped := left.skip(c); skipped != nil {
			step = *skipped
			_, err = x.record(changelog.Record{Type: changelog.Change, Change: &c, Result: step.Result, Note: step.Note})
		} else {
			step, err = x.step(ctx, c)
		}
		if err != nil {
			// Stopped between a write and its record, or the log cannot
			// be written: record nothing more.
			return res, err
		}
		left.note(step)
		partial.Refused += len(step.Refused)
		if step.Result == changelog.ResultSkipped {
			partial.Skipped++
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
	if partial != (PartialError{}) {
		if _, err := x.record(changelog.Record{Type: changelog.RunEnd, Result: changelog.ResultPartial, Note: partial.Error()}); err != nil {
			return res, err
		}
		return res, &partial
	}
	if _, err := x.record(changelog.Record{Type: changelog.RunEnd, Result: changelog.ResultCompleted}); err != nil {
		return res, err
	}
	return res, nil
}

// leftBehind counts, per binding and value, the records a partial
// migration left holding the value.
type leftBehind map[heldValue]int

type heldValue struct {
	binding live.Binding
	value   string
}

// note remembers what a partial migration left.
func (l leftBehind) note(s StepResult) {
	if s.Change.Action == plan.MigrateRecords && len(s.Refused) > 0 {
		l[heldValue{s.Change.Target, s.Change.From}] += len(s.Refused)
	}
}

// skip returns the skipped step c is when it would hide or remove a value
// records still hold after a partial migration; nil when c is to run.
func (l leftBehind) skip(c plan.Change) *StepResult {
	n := l[heldValue{c.Target, c.Value}]
	if n == 0 || (c.Action != plan.Hide && c.Action != plan.Remove) {
		return nil
	}
	return &StepResult{Change: c, Result: changelog.ResultSkipped,
		Note: fmt.Sprintf("not run: %d record(s) still hold %q after refusing their migration", n, c.Value)}
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
		if c.Action == plan.Remove || c.Action == plan.Hide {
			// Records are not part of the live fingerprint: count again,
			// so an option is never hidden or removed from under records
			// that hold it (taken since the plan was derived, or left by a
			// migration whose writes the system had not yet shown).
			n, err := prov.CountRecords(ctx, c.Target, []string{c.Value})
			if err != nil {
				return fail(fmt.Errorf("count records holding %q: %w", c.Value, err))
			}
			if n[c.Value] > 0 {
				return fail(fmt.Errorf("cannot %s option %q: %d record(s) hold it now; run mops plan again", c.Action, c.Value, n[c.Value]))
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
	r := changelog.Record{Type: changelog.Change, Change: &c, Intent: intent.Seq, Result: out.Result, Before: out.before, After: out.after, Note: out.Note}
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
		out.Refused = append(out.Refused, b.Errors...)
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
	case len(out.Refused) > 0:
		out.Result, out.Note = changelog.ResultPartial, refusals(out.Refused)
	case mr.Updated == 0:
		out.Result = changelog.ResultUnchanged
	default:
		out.Result = changelog.ResultApplied
	}
	return out, nil
}

// refusals sums up the records a migration could not move, with the
// system's reason for each of the first few.
func refusals(errs []live.RecordError) string {
	const shown = 5
	var b strings.Builder
	fmt.Fprintf(&b, "%d record(s) refused the new value and keep the old one:", len(errs))
	for i, e := range errs[:min(len(errs), shown)] {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s: %s", cmp.Or(e.ID, "(no id)"), e.Message)
	}
	if len(errs) > shown {
		fmt.Fprintf(&b, "; and %d more (the change log's batch records list each)", len(errs)-shown)
	}
	return b.String()
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
