package workspace

import (
	"cmp"
	"context"
	"fmt"
	"os"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/repofs"
)

// ApplyRequest is a saved plan to carry out and who approved it.
type ApplyRequest struct {
	// PlanFile is the plan mops plan --out saved.
	PlanFile string
	// ApprovedBy are the RACI members who approved the plan.
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
}

// Apply reads the plan, validates the repository, opens the plan's
// systems and carries the plan out (see apply.Run for what it refuses).
// It returns the change log it recorded the run in.
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
	lockDir, err := repofs.Inside(w.Dir, ".mops/locks")
	if err != nil {
		return "", fmt.Errorf("apply locks: %w", err)
	}
	host, _ := os.Hostname()
	run := apply.Request{
		Plan: p, Bundle: s.bundle, Providers: s.sel.Providers(), Commit: s.commit, Dirty: s.dirty, Work: w.Progress,
		LogPath: logPath, LockDir: lockDir,
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
