package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/reconcile"
)

type planFlags struct {
	systems      []string
	out          string
	detailedExit bool
}

func newPlan(env Env, g *globals) *cobra.Command {
	f := &planFlags{}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what would change in a live system to match the repository",
		Long: `Read the live system behind the repository's bindings (taxonomies and
lifecycle models), and list the ordered changes that make it match: options to
create, relabel, reorder, records to migrate off deprecated values, values to
hide, undeclared values to remove. Each change shows how many records it
affects. A removal that records still hold is refused with the fix.

With --out, the plan is saved with a hash of the repository and of every live
property it read; mops apply refuses it once either has moved.

Exit codes: 0 success, 1 error (or a plan with errors), 2 changes present
(only with --detailed-exitcode).

Formats: text, markdown (a pull-request comment), json (the plan file).`,
		Example: `  mops plan --dir examples/acme
  mops plan --system hubspot-prod --out plan.json --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := makePlan(cmd.Context(), env, g, f.systems)
			if err != nil {
				return err
			}
			save := f.out != "" && !p.HasErrors()
			if save {
				if err := plan.Write(f.out, p); err != nil {
					return exitf(ExitFailed, "%w", err)
				}
			} else if err := p.Seal(); err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			// The plan is shown even when it is not saved: its errors are
			// what the user must fix.
			if err := planview.PlanFormatSet().Write(env.Stdout, g.format, p, planview.Options{Color: env.color(env.Stdout)}); err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			if f.out != "" && !save {
				return exitf(ExitFailed, "not writing %s: the plan has errors", f.out)
			}
			if f.out != "" && g.format == "text" {
				fmt.Fprintf(env.Stdout, "\nSaved the plan to %s. Apply it with: mops apply %s --approved-by ID\n", f.out, f.out)
			}
			switch {
			case p.HasErrors():
				return &ExitError{Code: ExitFailed}
			case f.detailedExit && !p.Empty():
				return &ExitError{Code: ExitChanges}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&f.systems, "system", nil, "plan only system `NAME` from mops.yaml (repeatable; default: every system the repository binds that is reachable)")
	cmd.Flags().StringVar(&f.out, "out", "", "save the plan to `FILE` for mops apply")
	cmd.Flags().BoolVar(&f.detailedExit, "detailed-exitcode", false, "exit 2 when the plan has changes")
	return cmd
}

// makePlan validates the repository, connects to the system and computes
// the plan. A repository with deny findings is not planned: a plan must
// never be made from documents mops would reject.
func makePlan(ctx context.Context, env Env, g *globals, names []string) (*plan.Plan, error) {
	b, err := loadValid(ctx, env, g)
	if err != nil {
		return nil, err
	}
	sel, err := systems.Select(g.dir, b, names, env.Getenv, g.systemOptions(env)...)
	if err != nil {
		return nil, exitf(ExitFailed, "%w", err)
	}
	defer sel.Close()
	provs := sel.Providers()
	var skipped []plan.Problem
	for _, s := range sel.Skipped {
		skipped = append(skipped, plan.Problem{Severity: plan.Warning, Target: live.Binding{System: s.System},
			Message: fmt.Sprintf("not planned: %v (plan it with --system %s once it is reachable)", s, s.System)})
	}
	commit, dirty := gitState(g.dir)
	p, err := reconcile.PlanSystems(ctx, b, provs, reconcile.Options{
		Now: env.Now(), MopsVersion: env.version(), Commit: commit, Dirty: dirty,
	})
	if err != nil {
		return nil, exitf(ExitFailed, "%w", err)
	}
	p.Problems = append(p.Problems, skipped...)
	return p, nil
}

// loadValid runs validate and returns the bundle, or an ExitError after
// printing the blocking findings to stderr.
func loadValid(ctx context.Context, env Env, g *globals) (*model.Bundle, error) {
	abs, err := filepath.Abs(g.dir)
	if err != nil {
		return nil, exitf(ExitFailed, "%w", err)
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return nil, exitf(ExitFailed, "--dir %s is not a folder", g.dir)
	}
	report, b, err := runValidate(ctx, env, abs)
	if err != nil {
		return nil, err
	}
	if report.ExitCode() != ExitOK {
		blocking := report.Findings[:0:0]
		for _, f := range report.Findings {
			if f.Blocking() {
				blocking = append(blocking, f)
			}
		}
		report.Findings = blocking
		_ = writeReport(env, env.Stderr, "text", report)
		return nil, exitf(ExitFailed, "the repository does not validate (%d deny finding(s)); fix them first, see mops validate", report.Summary.Deny)
	}
	return b, nil
}
