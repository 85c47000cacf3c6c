// Package apply carries out a saved plan: it refuses a plan that was
// tampered with, made from other documents, already used, stale against
// live, inside a change freeze or short of approvals; then it takes the
// system's lock and runs each change in order, re-checking live before
// every step and recording every step in the change log before the next.
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
)

// Refusal is why apply would not start. Nothing was written.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return "apply refused: " + r.Reason }

func refuse(format string, args ...any) error {
	return &Refusal{Reason: fmt.Sprintf(format, args...)}
}

// ApprovalInput is what the approval policy sees.
type ApprovalInput struct {
	Plan      *plan.Plan `json:"plan"`
	Approvers []string   `json:"approvers"`
	// RACI holds the spec of every RACI document, as written.
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
	Plan   *plan.Plan
	Bundle *model.Bundle
	// Providers holds a provider for every system of the plan.
	Providers map[string]live.Provider
	// Commit and Dirty are the repository's git state now.
	Commit string
	Dirty  bool
	// LogPath is the change log; LockDir holds one lock file per system.
	LogPath, LockDir string
	Actor            string
	Approvers        []string
	Emergency        bool
	Reason           string
	Now              func() time.Time
	Approval         Approver
	Host             string
	PID              int
	// DryRun walks the plan against live and reports what each step would
	// do, writing nothing (no lock, no log).
	DryRun bool
	// Progress, when set, is told about every step as it finishes.
	Progress func(StepResult)
	// Work, when set, hears how far a long step (a record migration) has
	// got while it runs.
	Work live.Progress
	// AfterStep is a fault-injection hook for tests: an error stops apply
	// right after step seq as if the process died (no further record).
	AfterStep func(seq int) error
}

// StepResult is the outcome of one change.
type StepResult struct {
	Change plan.Change
	Result string // changelog.ResultApplied, ResultUnchanged, ResultFailed
	// Records is the number of records migrated by a migrate-records step.
	Records int
	Err     error

	before, after any
}

// Result sums up an apply.
type Result struct {
	Steps []StepResult
}

// DefaultDestructiveMinApprovers applies when mops.yaml sets no
// spec.approvals.destructiveMinApprovers.
const DefaultDestructiveMinApprovers = 2

// ErrInjected is returned when AfterStep stopped the run.
var ErrInjected = errors.New("apply stopped by fault injection")

// Run checks the request and carries out the plan.
func Run(ctx context.Context, req Request) (*Result, error) {
	p := req.Plan
	proj, err := req.Bundle.ProjectSpec()
	if err != nil {
		return nil, err
	}
	if err := checkOrigin(req); err != nil {
		return nil, err
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
	if err := checkFreeze(req, proj); err != nil {
		return nil, err
	}
	if err := checkApprovals(ctx, req, proj); err != nil {
		return nil, err
	}
	if err := checkLive(ctx, req); err != nil {
		return nil, err
	}
	if req.DryRun {
		return dryRun(ctx, req)
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
	// Checks again under the lock: another apply may have finished between
	// the first check and taking the lock.
	if recs, err = changelog.Read(req.LogPath); err != nil {
		return nil, err
	}
	if _, used := changelog.Applied(recs, p.Hash); used {
		return nil, refuse("this plan was applied by another run while this one waited; run mops plan again")
	}
	if err := checkLive(ctx, req); err != nil {
		return nil, err
	}
	log, err := changelog.Open(req.LogPath)
	if err != nil {
		return nil, err
	}
	return execute(ctx, req, log)
}

// checkOrigin refuses a plan made from other documents or another commit.
func checkOrigin(req Request) error {
	p := req.Plan
	if p.HasErrors() {
		return refuse("the plan has errors; fix them and run mops plan again")
	}
	if p.Commit != "" && req.Commit != "" && p.Commit != req.Commit {
		return refuse("the plan was made at commit %s but the repository is at %s; run mops plan again", short(p.Commit), short(req.Commit))
	}
	want, err := desiredHash(req.Bundle)
	if err != nil {
		return err
	}
	if want != p.DesiredHash {
		return refuse("the governance documents changed since the plan was made (desired hash %s, now %s); run mops plan again", short(p.DesiredHash), short(want))
	}
	return nil
}

// checkFreeze refuses inside a freeze window unless an emergency apply is
// made by a member of the window's override role.
func checkFreeze(req Request, proj model.Project) error {
	now := req.Now()
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
		members := roleMembers(req.Bundle, f.OverrideRole)
		if !slices.Contains(members, req.Actor) {
			return refuse("change freeze %s: an emergency apply must be made by a member of role %s (%s); %q is not one (set --actor)", window, f.OverrideRole, strings.Join(members, ", "), req.Actor)
		}
	}
	return nil
}

func checkApprovals(ctx context.Context, req Request, proj model.Project) error {
	if req.Approval == nil {
		return errors.New("apply: no approval policy configured")
	}
	in := ApprovalInput{Plan: req.Plan, Approvers: req.Approvers}
	for _, d := range req.Bundle.ByKind(model.KindRACI) {
		in.RACI = append(in.RACI, d.Spec())
	}
	in.Approvals.DestructiveMinApprovers = cmp.Or(proj.Approvals.DestructiveMinApprovers, DefaultDestructiveMinApprovers)
	missing, err := req.Approval.Missing(ctx, in)
	if err != nil {
		return fmt.Errorf("evaluate approval policy: %w", err)
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return refuse("missing approvals:\n  - %s", strings.Join(slices.Compact(missing), "\n  - "))
	}
	return nil
}

// checkLive re-reads every property the plan read and refuses when one
// moved, naming it.
func checkLive(ctx context.Context, req Request) error {
	bySystem := map[string][]live.Binding{}
	for _, b := range planBindings(req.Plan) {
		bySystem[b.System] = append(bySystem[b.System], b)
	}
	var moved []string
	for _, sys := range req.Plan.Systems {
		bindings := bySystem[sys]
		if len(bindings) == 0 {
			continue
		}
		snap, err := req.Providers[sys].Read(ctx, live.ReadRequest{Bindings: bindings})
		if err != nil {
			return fmt.Errorf("re-read %s: %w", sys, err)
		}
		for _, b := range bindings {
			want := req.Plan.Fingerprints[b.String()]
			got := plan.Absent
			if prop := snap.Properties[b]; prop != nil {
				got = prop.Fingerprint
			}
			if want != got {
				moved = append(moved, b.String())
			}
		}
	}
	if len(moved) > 0 {
		return refuse("the plan is stale: %s changed since the plan was made; run mops plan again", strings.Join(moved, ", "))
	}
	return nil
}

// planBindings lists the bindings whose fingerprints the plan recorded.
func planBindings(p *plan.Plan) []live.Binding {
	var out []live.Binding
	for key := range p.Fingerprints {
		if b, ok := parseBinding(key); ok {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b live.Binding) int { return a.Compare(b) })
	return out
}

// parseBinding reverses live.Binding.String: system:object.property.
func parseBinding(s string) (live.Binding, bool) {
	sys, rest, ok := strings.Cut(s, ":")
	if !ok {
		return live.Binding{}, false
	}
	obj, prop, ok := strings.Cut(rest, ".")
	return live.Binding{System: sys, Object: obj, Property: prop}, ok
}

func roleMembers(b *model.Bundle, role string) []string {
	var out []string
	for _, d := range b.ByKind(model.KindRACI) {
		var r model.RACI
		if d.Decode(&r) != nil {
			continue
		}
		for _, ro := range r.Roles {
			if ro.ID == role {
				out = append(out, ro.Members...)
			}
		}
	}
	return out
}
