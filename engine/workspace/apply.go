package workspace

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/repofs"
)

// ApplyRequest is a saved plan to carry out and who approved it.
type ApplyRequest struct {
	// PlanFile is the plan mops plan --out saved.
	PlanFile string
	// ApprovedBy are who approved the plan: each an email, a GitHub
	// handle or a Salesforce user of a RACI member, or a GitHub team a
	// RACI role names.
	ApprovedBy []string
	// Emergency applies inside a freeze window, for Reason.
	Emergency bool
	Reason    string
	// DryRun walks the plan against live and writes nothing.
	DryRun bool
	// Actor runs the apply; empty means $MOPS_ACTOR, $GITHUB_ACTOR, git's
	// user.email, $USER, in that order.
	Actor string
	// Progress, when set, is told about every step of the plan as it
	// finishes; the first step comes once every refusal check has passed.
	Progress func(*plan.Plan, apply.StepResult)
	// Resolved, when set, is told the outcomes recorded for writes a
	// stopped apply left open, before the first step.
	Resolved func([]apply.Resolution)
}

// Apply reads the plan, validates the repository, reads the documents the
// plan was made from (the tree of its commit), opens the plan's systems
// and carries the plan out (see apply.Run for what it refuses). It returns
// the change log it recorded the run in.
func (w Workspace) Apply(ctx context.Context, req ApplyRequest) (string, error) {
	p, err := plan.Read(req.PlanFile)
	if err != nil {
		return "", err
	}
	s, err := w.open(ctx, p.Systems)
	if err != nil {
		return "", err
	}
	defer s.sel.Close()
	planned, err := w.planDocuments(p)
	if err != nil {
		return "", err
	}
	proj, err := s.bundle.ProjectSpec()
	if err != nil {
		return "", err
	}
	approver, err := policy.NewApprover(ctx, policy.Options{RepoPolicies: repofs.DirFS(w.Dir), RepoPolicyDirs: proj.Policies})
	if err != nil {
		return "", err
	}
	logPath, err := w.changelogPath(proj)
	if err != nil {
		return "", err
	}
	lockDir, err := w.lockDir()
	if err != nil {
		return "", err
	}
	host, _ := os.Hostname()
	run := apply.Request{
		Plan: p, Planned: planned, Bundle: s.bundle, Providers: s.sel.Providers(), Commit: s.commit, Dirty: s.dirty, Work: w.Progress,
		LogPath: logPath, LockDir: lockDir, Resolved: req.Resolved,
		Actor:     w.actor(req.Actor),
		Approvers: req.ApprovedBy, Emergency: req.Emergency, Reason: req.Reason,
		Now: w.Now, Approval: approval{approver}, Host: host, PID: os.Getpid(), DryRun: req.DryRun,
	}
	if req.Progress != nil {
		run.Progress = func(s apply.StepResult) { req.Progress(p, s) }
	}
	if _, err := apply.Run(ctx, run); err != nil {
		return "", err
	}
	return run.LogPath, nil
}

// commitID is a full git commit id (SHA-1, or SHA-256 in repositories
// that use it): all a plan may name, never a branch or HEAD~1.
var commitID = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

// planDocuments reads the documents plan p was made from: the tree of its
// commit, or nil (the working tree's, which the session validated) for a
// plan made outside git or from uncommitted changes. Apply compares their
// desired hash with the plan's and the repository's before using them.
func (w Workspace) planDocuments(p *plan.Plan) (*model.Bundle, error) {
	if p.Commit == "" || p.Dirty {
		return nil, nil
	}
	if !commitID.MatchString(p.Commit) {
		return nil, &apply.Refusal{Reason: fmt.Sprintf("the plan names commit %q, which is not a full commit id; run mops plan again", p.Commit)}
	}
	repo, err := gitrepo.Open(w.Dir)
	if err != nil {
		return nil, &apply.Refusal{Reason: fmt.Sprintf("the plan was made at commit %.12s, but %s is not in a git repository to read that commit from; apply it in a clone", p.Commit, w.Dir)}
	}
	fsys, _, err := repo.FS(p.Commit)
	if errors.Is(err, gitrepo.ErrUnknownRef) {
		return nil, &apply.Refusal{Reason: fmt.Sprintf("the plan was made at commit %s, which this clone does not have; fetch it (git fetch origin %s) or run mops plan again", p.Commit, p.Commit)}
	}
	if err != nil {
		return nil, err
	}
	b, findings, err := load.Load(fsys, load.Options{})
	if err != nil {
		return nil, fmt.Errorf("read the documents of commit %.12s: %w", p.Commit, err)
	}
	for _, f := range findings {
		if f.Blocking() {
			return nil, fmt.Errorf("the documents of commit %.12s, where the plan was made, do not load: %s:%d:%d: %s", p.Commit, f.File, f.Line, f.Column, f.Message)
		}
	}
	return b, nil
}

// lockDir holds the per-system apply locks.
func (w Workspace) lockDir() (string, error) {
	dir, err := repofs.Inside(w.Dir, ".mops/locks")
	if err != nil {
		return "", fmt.Errorf("apply locks: %w", err)
	}
	return dir, nil
}

// actor names who runs an apply: the flag, $MOPS_ACTOR, $GITHUB_ACTOR,
// git's user.email, $USER, in that order.
func (w Workspace) actor(flag string) string {
	if a := cmp.Or(flag, w.Getenv("MOPS_ACTOR"), w.Getenv("GITHUB_ACTOR")); a != "" {
		return a
	}
	if r, err := gitrepo.Open(w.Dir); err == nil {
		if email := r.UserEmail(); email != "" {
			return email
		}
	}
	return cmp.Or(w.Getenv("USER"), "unknown")
}

// approval adapts the policy package's approval evaluation to apply.
type approval struct{ p *policy.Approver }

func (a approval) Missing(ctx context.Context, in apply.ApprovalInput) ([]string, error) {
	return a.p.Missing(ctx, in)
}

// Resolve records, for every write to live that a stopped apply left
// without an outcome, what live shows now, and ends the runs that stopped
// (see apply.Resolve). It opens only the systems concerned and writes
// nothing to live. The repository's documents need not validate: only
// mops.yaml is read.
func (w Workspace) Resolve(ctx context.Context, actor string) ([]apply.Resolution, error) {
	src, err := loose(w.Dir)
	if err != nil {
		return nil, err
	}
	proj, err := src.ProjectSpec()
	if err != nil {
		return nil, err
	}
	logPath, err := w.changelogPath(proj)
	if err != nil {
		return nil, err
	}
	lockDir, err := w.lockDir()
	if err != nil {
		return nil, err
	}
	names, err := apply.OpenSystems(logPath)
	if err != nil || len(names) == 0 {
		return nil, err
	}
	sel, err := systems.Select(ctx, w.Dir, src, names, w.Getenv, w.Connect...)
	if err != nil {
		return nil, fmt.Errorf("resolve the change log: %w", err)
	}
	defer sel.Close()
	host, _ := os.Hostname()
	return apply.Resolve(ctx, apply.ResolveRequest{
		LogPath: logPath, LockDir: lockDir, Providers: sel.Providers(),
		Actor: w.actor(actor), Now: w.Now, Host: host, PID: os.Getpid(),
	})
}
