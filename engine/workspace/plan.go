package workspace

import (
	"context"
	"fmt"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
)

// Plan validates the repository, opens the selected systems (names, or
// every bound one that is reachable: see systems.Select) and plans them
// together. A system skipped as unreachable is a warning in the plan. A
// repository that does not validate is not planned: a plan must never be
// made from documents mops would reject.
func (w Workspace) Plan(ctx context.Context, names []string) (*plan.Plan, error) {
	s, err := w.open(ctx, names)
	if err != nil {
		return nil, err
	}
	defer s.sel.Close()
	p, err := reconcile.PlanSystems(ctx, s.bundle, s.sel.Providers(), reconcile.Options{
		Now: w.Now(), MopsVersion: w.Version, Commit: s.commit, Dirty: s.dirty,
	})
	if err != nil {
		return nil, err
	}
	for _, u := range s.sel.Skipped {
		p.Problems = append(p.Problems, plan.Problem{Severity: plan.Warning, Target: live.Binding{System: u.System},
			Message: fmt.Sprintf("not planned: %v (plan it with --system %s once it is reachable)", u, u.System)})
	}
	return p, nil
}
