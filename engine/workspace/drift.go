package workspace

import (
	"context"

	"github.com/mops-dev/mops/engine/drift"
	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/live/systems"
)

// Drift validates the repository, opens the same systems Plan would and
// checks each for drift. A skipped system is in the report with the reason
// (the variable that is not set).
func (w Workspace) Drift(ctx context.Context, names []string) (*drift.Report, error) {
	b, err := w.valid(ctx)
	if err != nil {
		return nil, err
	}
	sel, err := systems.Select(w.Dir, b, names, w.Getenv, w.Connect...)
	if err != nil {
		return nil, err
	}
	defer sel.Close()
	providers := sel.Providers()
	reasons := map[string]string{}
	for _, s := range sel.Skipped {
		reasons[s.System] = s.Reason
	}
	targets := make([]drift.Target, 0, len(sel.Names))
	for _, name := range sel.Names {
		targets = append(targets, drift.Target{Name: name, Provider: providers[name], Skipped: reasons[name]})
	}
	commit, dirty := gitrepo.State(w.Dir)
	return drift.Check(ctx, b, targets, drift.Options{
		Now: w.Now(), MopsVersion: w.Version, Commit: commit, Dirty: dirty, AllSystems: len(names) == 0,
	}), nil
}
