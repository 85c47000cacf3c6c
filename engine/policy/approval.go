package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/open-policy-agent/opa/v1/rego"
)

// Approver evaluates the approval policies: the built-in package
// approval.builtin and any approval.<name> package of the repository. Each
// defines a set `missing` of messages, one per approval still missing; the
// plan is approved when every set is empty.
type Approver struct {
	query rego.PreparedEvalQuery
	opts  Options
}

// NewApprover compiles the approval policies with the same restricted
// capabilities as every other policy.
func NewApprover(ctx context.Context, opts Options) (*Approver, error) {
	caps := capabilities()
	all, err := loadAll(opts, caps, false)
	if err != nil {
		return nil, err
	}
	c, err := compile(all, caps, false)
	if err != nil {
		return nil, err
	}
	ropts := []func(*rego.Rego){rego.Compiler(c), rego.Query("x := data.approval")}
	for _, b := range builtins() {
		ropts = append(ropts, b.opt)
	}
	q, err := rego.New(ropts...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare approval query: %w", err)
	}
	return &Approver{query: q, opts: opts}, nil
}

// Missing evaluates the approval policies against in (any value that
// marshals to JSON: the plan, the approvers, RACI) and returns every
// missing approval, sorted.
func (a *Approver) Missing(ctx context.Context, in any) ([]string, error) {
	data, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("encode approval input: %w", err)
	}
	var input any
	if err := json.Unmarshal(data, &input); err != nil {
		return nil, fmt.Errorf("decode approval input: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, a.opts.timeout())
	defer cancel()
	rs, err := a.query.Eval(ctx, rego.EvalInput(input))
	if err != nil {
		return nil, fmt.Errorf("evaluate approval policies: %w", err)
	}
	var out []string
	if len(rs) > 0 {
		collectMissing(rs[0].Bindings["x"], &out)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// collectMissing gathers the `missing` sets of every package under
// data.approval.
func collectMissing(v any, out *[]string) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	for k, child := range m {
		if k == "missing" {
			if list, ok := child.([]any); ok {
				for _, item := range list {
					*out = append(*out, fmt.Sprint(item))
				}
			}
			continue
		}
		collectMissing(child, out)
	}
}
