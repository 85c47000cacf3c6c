package workspace

import (
	"context"
	"fmt"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
)

// Plan validates the repository, opens the selected systems (names, or
// every bound one that is reachable: see systems.Select) and plans them
// together. A system skipped as unreachable is a warning in the plan. A
// repository that does not validate is not planned: a plan must never be
// made from documents mops would reject.
func (w Workspace) Plan(ctx context.Context, names []string) (*plan.Plan, error) {
	b, err := w.valid(ctx)
	if err != nil {
		return nil, err
	}
	sel, err := systems.Select(w.Dir, b, names, w.Getenv, w.Connect...)
	if err != nil {
		return nil, err
	}
	defer sel.Close()
	commit, dirty := gitrepo.State(w.Dir)
	p, err := reconcile.PlanSystems(ctx, b, sel.Providers(), reconcile.Options{
		Now: w.Now(), MopsVersion: w.Version, Commit: commit, Dirty: dirty,
	})
	if err != nil {
		return nil, err
	}
	for _, s := range sel.Skipped {
		p.Problems = append(p.Problems, plan.Problem{Severity: plan.Warning, Target: live.Binding{System: s.System},
			Message: fmt.Sprintf("not planned: %v (plan it with --system %s once it is reachable)", s, s.System)})
	}
	return p, nil
}
