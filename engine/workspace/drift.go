package workspace

import (
	"context"

	"github.com/mops-dev/mops/engine/drift"
)

// Drift validates the repository, opens the same systems Plan would and
// checks each for drift. A skipped system is in the report with the reason
// (the variable that is not set).
func (w Workspace) Drift(ctx context.Context, names []string) (*drift.Report, error) {
	s, err := w.open(ctx, names)
	if err != nil {
		return nil, err
	}
	defer s.sel.Close()
	providers := s.sel.Providers()
	reasons := map[string]string{}
	for _, u := range s.sel.Skipped {
		reasons[u.System] = u.Reason
	}
	targets := make([]drift.Target, 0, len(s.sel.Names))
	for _, name := range s.sel.Names {
		targets = append(targets, drift.Target{Name: name, Provider: providers[name], Skipped: reasons[name]})
	}
	return drift.Check(ctx, s.bundle, targets, drift.Options{
		Now: w.Now(), MopsVersion: w.Version, Commit: s.commit, Dirty: s.dirty, AllSystems: len(names) == 0,
	}), nil
}
