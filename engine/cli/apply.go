package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/workspace"
)

func newApply(env Env, g *globals) *cobra.Command {
	var req workspace.ApplyRequest
	cmd := &cobra.Command{
		Use:   "apply PLAN",
		Short: "Carry out a saved plan, only if the documents and live still give it",
		Long: `Carry out a plan saved by mops plan --out, only if it is still the plan the
documents and live give. Apply never runs the steps of the file as written:
it derives the plan again from the documents the plan was made from (the
tree of its commit) and live as it is now, and refuses unless that is the
same plan, step for step; it names every step edited, added, dropped or
reordered, and every live property that moved. It also refuses a plan that:
  - was edited after it was written (its hash or id does not match),
  - was made from other governance documents than the repository's now,
  - is already in the change log (plans are single-use),
  - falls inside a spec.freezes window (unless --emergency --reason by a
    member of the window's override role),
  - lacks the approvals the approval policy asks for, judged on the
    changes apply derived (--approved-by).
Then it takes the systems' locks, records what live shows for any write a
crashed apply left without an outcome, and runs each change in order: an
intent record in the change log before every write to live, the outcome
after.

--approved-by takes any identity of a RACI member: the email, the GitHub
handle (with or without @: in CI, the pull request's review logins) or the
Salesforce user; or a GitHub team (@org/team) that a RACI role names.

A migration some records refuse (a validation rule, a required property)
moves the others and ends "partial", with the system's reason per record;
the value they still hold is not hidden or removed, and the run exits 1.
mops plan then shows what remains.

Exit codes: 0 applied, 1 refused, failed or partial (the change log says
how far it got), 2 refused because the plan is not the plan the documents and live
give now (nothing was written; run mops plan again and have it reviewed).`,
		Example: `  mops apply plan.json --approved-by @dana-whitfield --approved-by priya-raman
  mops apply plan.json --dry-run --approved-by dana.whitfield@acme.example --approved-by @acme/marketing-automation`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := g.workspace(env, nil)
			if err != nil {
				return err
			}
			req.PlanFile = args[0]
			req.Progress = planview.ApplyProgress(env.Stdout, req.DryRun)
			req.Resolved = func(rs []apply.Resolution) { _ = planview.ResolveText(env.Stdout, rs, planview.Options{}) }
			logPath, err := ws.Apply(cmd.Context(), req)
			var refusal *apply.Refusal
			switch {
			case errors.As(err, &refusal) && len(refusal.Differences) > 0:
				fmt.Fprintf(env.Stderr, "mops: %v\n", err)
				return exitCode(ExitChanges)
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
	cmd.Flags().StringArrayVar(&req.ApprovedBy, "approved-by", nil, "who approved the plan: an `IDENTITY` of a RACI member (email, GitHub handle, Salesforce user) or a GitHub team a role names (repeatable; in CI, the pull request's review logins)")
	cmd.Flags().BoolVar(&req.Emergency, "emergency", false, "apply inside a freeze window (needs --reason and a member of the window's override role)")
	cmd.Flags().StringVar(&req.Reason, "reason", "", "why an emergency apply cannot wait (`TEXT`, logged)")
	cmd.Flags().BoolVar(&req.DryRun, "dry-run", false, "walk the plan against live without writing anything")
	cmd.Flags().StringVar(&req.Actor, "actor", "", "who runs the apply (default: $MOPS_ACTOR, $GITHUB_ACTOR, git's user.email or $USER)")
	return cmd
}
