// Package apply carries out a saved plan, and only the plan the documents
// and live give. It never runs the steps of a plan file as written: it
// derives the plan again from the documents the plan was made from and
// live as it is now, refuses unless that is the same plan step for step,
// judges freezes and approvals on the derived changes, then takes the
// systems' locks and runs each derived change in order. Every write to live
// is preceded by an intent record in the change log and followed by its
// outcome, so a crash leaves no live change without a record; the next run
// resolves an intent without an outcome by reading live again.
package apply

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
	"github.com/mops-dev/mops/engine/source"
)

// Refusal is why apply would not start. Nothing was written to live.
type Refusal struct {
	Reason string
	// Differences, when set, are how the plan differs from the plan the
	// documents and live give now: it is not the plan to apply any more.
	Differences []plan.Difference
}

// maxShown is how many differences a refusal's message lists.
const maxShown = 40

func (r *Refusal) Error() string {
	var b strings.Builder
	b.WriteString("apply refused: " + r.Reason)
	for i, d := range r.Differences {
		if i == maxShown {
			fmt.Fprintf(&b, "\n  … and %d more difference(s)", len(r.Differences)-maxShown)
			break
		}
		// A difference quotes the plan file and the documents, which a
		// pull request's author writes: one line each, inert.
		b.WriteString("\n  - " + source.DisplayLine(d.Message))
	}
	return b.String()
}

func refuse(format string, args ...any) error {
	return &Refusal{Reason: fmt.Sprintf(format, args...)}
}

// ApprovalInput is what the approval policy sees.
type ApprovalInput struct {
	// Plan is the plan derived again, whose changes apply would make.
	Plan *plan.Plan `json:"plan"`
	// Approvers are the RACI members who approved, by member id (see
	// model.Member.ID), whichever of their identities was given.
	Approvers []string `json:"approvers"`
	// RACI holds the spec of every RACI document, each member written as
	// its id.
	RACI      []map[string]any `json:"raci"`
	Approvals struct {
		DestructiveMinApprovers int `json:"destructiveMinApprovers"`
	} `json:"approvals"`
}

// Approver evaluates the approval policy and returns the approvals still
// missing, one sentence each; none means approved.
type Approver interface {
	Missing(ctx context.Context, in ApprovalInput) ([]string, error)
}

// Request is one apply.
type Request struct {
	Plan *plan.Plan
	// Planned are the documents the plan was made from: the tree of its
	// commit, or nil when they are Bundle's (a plan made outside git or
	// from uncommitted changes). Apply derives the plan again from them.
	Planned *model.Bundle
	// Bundle holds the repository's documents now: its mops.yaml (freezes,
	// approvals) and RACI govern the apply.
	Bundle *model.Bundle
	// Providers holds a provider for every system of the plan.
	Providers map[string]live.Provider
	// Commit and Dirty are the repository's git state now.
	Commit string
	Dirty  bool
	// LogPath is the change log; LockDir holds one lock file per system.
	LogPath, LockDir string
	Actor            string
	// Approvers are who approved the plan, as given (an email, a GitHub
	// handle, a Salesforce user or a GitHub team); each is matched to a
	// RACI member.
	Approvers []string
	Emergency bool
	Reason    string
	Now       func() time.Time
	Approval  Approver
	Host      string
	PID       int
	// DryRun walks the plan against live and reports what each step would
	// do, writing nothing (no lock, no log).
	DryRun bool
	// Progress, when set, is told about every step as it finishes.
	Progress func(StepResult)
	// Work, when set, hears how far a long step (a record migration) has
	// got while it runs.
	Work live.Progress
	// Resolved, when set, is told the outcomes recorded for the writes a
	// stopped run left open, before the first step (when there are any).
	Resolved func([]Resolution)
	// Crash is a fault-injection hook for tests: an error from it stops
	// apply at that point as if the process died (no further record, no
	// further write).
	Crash func(Point) error
}

// Point is a moment of a run at which Request.Crash may stop it.
type Point struct {
	// Seq is the step.
	Seq int
	// At is one of AtIntent, AtWritten, AtBatch and AtRecorded.
	At string
	// Batch is the migration batch, for AtBatch.
	Batch int
}

// The points of a step, in the order a run passes them.
const (
	// AtIntent: the step's intent is recorded; live is not yet written.
	AtIntent = "intent"
	// AtBatch: a migration batch is written to live, not yet recorded.
	AtBatch = "batch"
	// AtWritten: live is written; the outcome is not yet recorded.
	AtWritten = "written"
	// AtRecorded: the step's outcome is recorded.
	AtRecorded = "recorded"
)

// StepResult is the outcome of one change.
type StepResult struct {
	Change plan.Change
	// Result is changelog.ResultApplied, ResultUnchanged, ResultFailed,
	// ResultPartial or ResultSkipped.
	Result string
	// Records is the number of records migrated by a migrate-records step.
	Records int
	// Refused lists the records a partial migration could not move, each
	// with the system's reason.
	Refused []live.RecordError
	// Note says, for people, why a step is partial or skipped.
	Note string
	Err  error

	before, after any
}

// Result sums up an apply.
type Result struct {
	// Plan is the plan applied: the plan derived again, equal to the
	// plan file step for step.
	Plan *plan.Plan
	// Resolved are the outcomes recorded for intents a crashed run left
	// without one, before this run's first step.
	Resolved []Resolution
	Steps    []StepResult
}

// DefaultDestructiveMinApprovers applies when mops.yaml sets no
// spec.approvals.destructiveMinApprovers.
const DefaultDestructiveMinApprovers = 2

// ErrInjected is returned when Crash stopped the run.
var ErrInjected = errors.New("apply stopped by fault injection")

// PartialError says a run went to its end but left work undone: records
// refused a migration, so the steps that would hide or remove their old
// value were skipped. The change log records every refusal; the next plan
// shows what remains.
type PartialError struct {
	// Refused counts the records that refused; Skipped the steps left.
	Refused, Skipped int
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("applied, but %d record(s) refused their migration and %d step(s) were skipped; the change log lists each refusal, and mops plan shows what remains", e.Refused, e.Skipped)
}

// Run checks the request and carries out the plan.
func Run(ctx context.Context, req Request) (*Result, error) {
	p := req.Plan
	proj, err := req.Bundle.ProjectSpec()
	if err != nil {
		return nil, err
	}
	if p.HasErrors() {
		return nil, refuse("the plan has errors; fix them and run mops plan again")
	}
	for _, sys := range p.Systems {
		if req.Providers[sys] == nil {
			return nil, fmt.Errorf("apply: no connection to system %s", sys)
		}
	}
	recs, err := changelog.Read(req.LogPath)
	if err != nil {
		return nil, err
	}
	if r, used := changelog.Applied(recs, p.Hash); used {
		return nil, refuse("this plan was already applied (change log record %d, %s by %s); plans are single-use: run mops plan again", r.Seq, r.Time.Format(time.RFC3339), r.Actor)
	}
	derived, err := derive(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := checkFreeze(req, proj); err != nil {
		return nil, err
	}
	approvers, err := checkApprovals(ctx, req, proj, derived)
	if err != nil {
		return nil, err
	}
	if req.DryRun {
		return dryRun(ctx, req, derived)
	}

	// One lock per system, taken in name order so two multi-system applies
	// cannot deadlock.
	for _, sys := range p.Systems {
		unlock, err := lock(filepath.Join(req.LockDir, sys+".lock"), holder{PID: req.PID, Host: req.Host, Actor: req.Actor, PlanHash: p.Hash, Since: req.Now()})
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	log, err := changelog.Open(req.LogPath)
	if err != nil {
		return nil, err
	}
	// Under the locks no other run writes to these systems: an intent of
	// theirs without an outcome is a crashed run's. Resolve it first.
	resolved, err := resolve(ctx, log, req.Providers, p.Systems, req.Actor, req.Now)
	if err != nil {
		return nil, err
	}
	if len(resolved) > 0 && req.Resolved != nil {
		req.Resolved(resolved)
	}
	// Checks again under the lock: another apply may have finished, or
	// live moved, between the first check and taking the lock.
	if recs, err = changelog.Read(req.LogPath); err != nil {
		return nil, err
	}
	if _, used := changelog.Applied(recs, p.Hash); used {
		return nil, refuse("this plan was applied by another run while this one waited; run mops plan again")
	}
	if derived, err = derive(ctx, req); err != nil {
		return nil, err
	}
	res, err := execute(ctx, req, derived, approvers, log)
	if res != nil {
		res.Resolved = resolved
	}
	return res, err
}

// derive makes the plan again from the documents it was made from and live
// as it is now, and refuses unless it is the plan of the request, step for
// step. When the repository's documents are no longer those of the plan,
// the plan is derived from the repository's, to show which steps differ.
func derive(ctx context.Context, req Request) (*plan.Plan, error) {
	p := req.Plan
	docs := cmp.Or(req.Planned, req.Bundle)
	now, err := reconcile.DesiredHash(req.Bundle)
	if err != nil {
		return nil, err
	}
	docsChanged := now != p.DesiredHash
	if docsChanged {
		docs = req.Bundle
	} else if docs != req.Bundle {
		then, err := reconcile.DesiredHash(docs)
		if err != nil {
			return nil, err
		}
		if then != p.DesiredHash {
			return nil, refuse("the plan says it was made at commit %s, but the documents of that commit are not the ones it was made from (desired hash %s, the commit gives %s); run mops plan again", shortCommit(p.Commit), short(p.DesiredHash), short(then))
		}
	}
	provs := make(map[string]live.Provider, len(p.Systems))
	for _, sys := range p.Systems {
		provs[sys] = req.Providers[sys]
	}
	// A plan made with --include-converted says so in the migrations it
	// moves converted leads in; derived again, it must move them too.
	includeKept := slices.ContainsFunc(p.Changes, func(c plan.Change) bool { return c.IncludeKept })
	d, err := reconcile.PlanSystems(ctx, docs, provs, reconcile.Options{
		Now: req.Now(), MopsVersion: p.MopsVersion, Commit: p.Commit, Dirty: p.Dirty, IncludeKept: includeKept,
	})
	if err != nil {
		return nil, fmt.Errorf("derive the plan again: %w", err)
	}
	if err := d.Seal(); err != nil {
		return nil, err
	}
	diffs := plan.Compare(p, d)
	const again = "so it is not the plan to apply; run mops plan again, and have the new plan reviewed"
	switch {
	case len(diffs) > 0 && docsChanged:
		return nil, &Refusal{Reason: fmt.Sprintf("the governance documents changed since the plan was made%s, %s", madeAt(p, req.Commit), again), Differences: diffs}
	case slices.ContainsFunc(diffs, func(d plan.Difference) bool { return d.Kind == plan.DiffLive }):
		return nil, &Refusal{Reason: "the plan is stale: live changed since the plan was made, " + again, Differences: diffs}
	case len(diffs) > 0:
		return nil, &Refusal{Reason: "the plan is not the plan the documents and live give now, " + again, Differences: diffs}
	case d.ID != p.ID:
		// Compare covers every field the id does; this is a last guard.
		return nil, refuse("the plan derived again has id %s, not the plan's %s; run mops plan again", d.ID, p.ID)
	case d.HasErrors():
		return nil, refuse("the plan derived again has errors; run mops plan again")
	}
	return d, nil
}

// madeAt says where the plan was made, when the repository is somewhere
// else now: " (at commit 0123456789ab; the repository is at fedcba987654)".
func madeAt(p *plan.Plan, commit string) string {
	if p.Commit == "" || commit == "" || p.Commit == commit {
		return ""
	}
	return fmt.Sprintf(" (at commit %s; the repository is at %s)", shortCommit(p.Commit), shortCommit(commit))
}

// checkFreeze refuses inside a freeze window unless an emergency apply is
// made by a member of the window's override role.
func checkFreeze(req Request, proj model.Project) error {
	now := req.Now()
	roster := model.RosterOf(req.Bundle)
	for _, f := range proj.Freezes {
		if now.Before(f.From) || !now.Before(f.To) {
			continue
		}
		window := fmt.Sprintf("%s (%s to %s: %s)", f.Name, f.From.Format(time.RFC3339), f.To.Format(time.RFC3339), f.Reason)
		if !req.Emergency {
			return refuse("change freeze %s; only an emergency apply (--emergency --reason TEXT) by a member of role %s may proceed", window, f.OverrideRole)
		}
		if strings.TrimSpace(req.Reason) == "" {
			return refuse("an emergency apply during freeze %s needs --reason", f.Name)
		}
		if !roster.InRole(req.Actor, f.OverrideRole) {
			return refuse("change freeze %s: an emergency apply must be made by a member of role %s (%s); %q is none of them (set --actor to one of their identities)", window, f.OverrideRole, strings.Join(roster.RoleIDs(f.OverrideRole), ", "), req.Actor)
		}
	}
	return nil
}

// checkApprovals matches every approver to a RACI member and evaluates the
// approval policy on the derived plan. It returns the member ids of the
// approvers.
func checkApprovals(ctx context.Context, req Request, proj model.Project, derived *plan.Plan) ([]string, error) {
	if req.Approval == nil {
		return nil, errors.New("apply: no approval policy configured")
	}
	roster := model.RosterOf(req.Bundle)
	ids, unknown := roster.Identify(req.Approvers)
	in := ApprovalInput{Plan: derived, Approvers: ids}
	for _, d := range req.Bundle.ByKind(model.KindRACI) {
		in.RACI = append(in.RACI, model.SpecByID(d))
	}
	in.Approvals.DestructiveMinApprovers = cmp.Or(proj.Approvals.DestructiveMinApprovers, DefaultDestructiveMinApprovers)
	missing, err := req.Approval.Missing(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("evaluate approval policy: %w", err)
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		msg := "missing approvals:\n  - " + strings.Join(slices.Compact(missing), "\n  - ")
		if len(unknown) > 0 {
			msg += fmt.Sprintf("\nnot counted, as no RACI role has them as members (a person by email, GitHub handle or Salesforce user; a GitHub team only where a role names it): %s", strings.Join(unknown, ", "))
		}
		return nil, &Refusal{Reason: msg}
	}
	return ids, nil
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
