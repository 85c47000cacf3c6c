package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
)

// PlanOptions are the choices a plan is made with.
type PlanOptions struct {
	// IncludeConverted plans migrations that move converted Salesforce
	// leads too, where the integration user may (--include-converted).
	IncludeConverted bool
}

// Plan validates the repository, opens the selected systems (names, or
// every bound one that is reachable: see systems.Select) and plans them
// together. A system skipped as unreachable is a warning in the plan, and
// so is a write to a planned system that a stopped apply left without an
// outcome in the change log. A repository that does not validate is not
// planned: a plan must never be made from documents mops would reject.
func (w Workspace) Plan(ctx context.Context, names []string, opts PlanOptions) (*plan.Plan, error) {
	s, err := w.open(ctx, names)
	if err != nil {
		return nil, err
	}
	defer s.sel.Close()
	p, err := reconcile.PlanSystems(ctx, s.bundle, s.sel.Providers(), reconcile.Options{
		Now: w.Now(), MopsVersion: w.Version, Commit: s.commit, Dirty: s.dirty, IncludeKept: opts.IncludeConverted,
	})
	if err != nil {
		return nil, err
	}
	for _, u := range s.sel.Skipped {
		p.Problems = append(p.Problems, plan.Problem{Severity: plan.Warning, Target: live.Binding{System: u.System},
			Message: fmt.Sprintf("not planned: %v (plan it with --system %s once it is reachable)", u, u.System)})
	}
	proj, err := s.bundle.ProjectSpec()
	if err != nil {
		return nil, err
	}
	p.Problems = append(p.Problems, w.openWrites(p, proj)...)
	return p, nil
}

// openWrites are the plan's warnings for the writes to its systems that a
// stopped apply left without an outcome in the change log (see
// apply.PendingProblems); a change log that cannot be read is a warning
// too: a plan is for looking, not the place to fail on it.
func (w Workspace) openWrites(p *plan.Plan, proj model.Project) []plan.Problem {
	logPath, err := w.changelogPath(proj)
	var recs []changelog.Record
	if err == nil {
		recs, err = changelog.Read(logPath)
	}
	lockDir, lerr := w.lockDir()
	if err = errors.Join(err, lerr); err != nil {
		return []plan.Problem{{Severity: plan.Warning, Message: fmt.Sprintf("the change log was not checked for writes a stopped apply left open: %v", err)}}
	}
	host, _ := os.Hostname()
	return apply.PendingProblems(p, recs, lockDir, host)
}
