package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/workspace"
)

func newApply(env Env, g *globals) *cobra.Command {
	var req workspace.ApplyRequest
	cmd := &cobra.Command{
		Use:   "apply PLAN",
		Short: "Carry out a saved plan after checking approvals and staleness",
		Long: `Carry out a plan saved by mops plan --out. Before touching anything, apply
refuses a plan that:
  - was edited after it was written (its hash does not match),
  - was made from other governance documents or another commit,
  - is already in the change log (plans are single-use),
  - falls inside a spec.freezes window (unless --emergency --reason by a
    member of the window's override role),
  - lacks the approvals the approval policy asks for (--approved-by),
  - is stale: a live property it read has changed since.
Then it takes the system's lock and runs each change in order, re-reading
live before every step, and records every step in the change log.

Exit codes: 0 applied, 1 refused or failed (the change log says how far it got).`,
		Example: `  mops apply plan.json --approved-by dana@acme.example --approved-by @acme/mops-leads
  mops apply plan.json --dry-run --approved-by dana@acme.example --approved-by priya@acme.example`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := g.workspace(env, nil)
			if err != nil {
				return err
			}
			req.PlanFile = args[0]
			req.Progress = planview.ApplyProgress(env.Stdout, req.DryRun)
			logPath, err := ws.Apply(cmd.Context(), req)
			switch {
			case err != nil:
				return err
			case req.DryRun:
				fmt.Fprintln(env.Stdout, "Dry run: nothing was written.")
			default:
				fmt.Fprintf(env.Stdout, "Applied. Recorded in %s.\n", logPath)
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&req.ApprovedBy, "approved-by", nil, "a RACI member `ID` who approved the plan (repeatable; in CI, the pull request's reviewers)")
	cmd.Flags().BoolVar(&req.Emergency, "emergency", false, "apply inside a freeze window (needs --reason and a member of the window's override role)")
	cmd.Flags().StringVar(&req.Reason, "reason", "", "why an emergency apply cannot wait (`TEXT`, logged)")
	cmd.Flags().BoolVar(&req.DryRun, "dry-run", false, "walk the plan against live without writing anything")
	cmd.Flags().StringVar(&req.Actor, "actor", "", "who runs the apply (default: $MOPS_ACTOR, $GITHUB_ACTOR, git's user.email or $USER)")
	return cmd
}
