package workspace

import (
	"context"

	"github.com/mops-dev/mops/engine/doctor"
)

// Doctor checks that each system of mops.yaml (or those named) can be
// reached with the credentials it names and lets mops do its work for the
// repository's bindings. The documents need not validate: doctor reads
// them only for bindings and consent policies.
func (w Workspace) Doctor(ctx context.Context, names []string) (*doctor.Report, error) {
	b, err := loose(w.Dir)
	if err != nil {
		return nil, err
	}
	return doctor.Run(ctx, doctor.Request{Dir: w.Dir, Bundle: b, Systems: names, Getenv: w.Getenv, Options: w.Connect})
}
