package cli

import (
	"context"
	"os"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/policy"
)

// approver adapts the policy package's approval evaluation to apply.
type approver struct{ p *policy.Approver }

func (a approver) Missing(ctx context.Context, in apply.ApprovalInput) ([]string, error) {
	return a.p.Missing(ctx, in)
}

func newApprover(ctx context.Context, dir string, proj model.Project) (apply.Approver, error) {
	p, err := policy.NewApprover(ctx, policy.Options{RepoPolicies: os.DirFS(dir), RepoPolicyDirs: proj.Policies})
	if err != nil {
		return nil, err
	}
	return approver{p}, nil
}
