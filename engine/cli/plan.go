package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/workspace"
)

// systemFlags adds the flags plan and drift share to choose systems.
func systemFlags(cmd *cobra.Command, env Env, systems *[]string) {
	cmd.Flags().StringArrayVar(systems, "system", nil, "only system `NAME` from mops.yaml (repeatable; default: every system the repository binds that is reachable)")
	cmd.Flags().VarPF(allSystems{env.Stderr}, "all-systems", "", "deprecated: every bound system is the default").NoOptDefVal = "true"
	cmd.MarkFlagsMutuallyExclusive("system", "all-systems")
}

// allSystems is --all-systems, kept as a deprecated alias of the default.
// (cobra's own deprecation notice would go to standard output.)
type allSystems struct{ warn io.Writer }

func (a allSystems) Set(string) error {
	_, err := fmt.Fprintln(a.warn, "mops: warning: --all-systems is deprecated: every bound system is the default; leave the flag out")
	return err
}

func (allSystems) String() string { return "false" }

func (allSystems) Type() string { return "bool" }

func newPlan(env Env, g *globals) *cobra.Command {
	var systems []string
	var out string
	var detailed, includeConverted bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what would change in the live systems to match the repository",
		Long: `Read the live systems behind the repository's bindings (taxonomies and
lifecycle models), and list the ordered changes that make them match: options
to create, relabel, reorder, records to migrate off deprecated values, values
to hide, undeclared values to remove. Each change shows how many records it
affects. A removal that records still hold is refused with the fix.

By default plan covers every system the repository binds; one that cannot be
reached from here (its token variable is unset) is skipped with a warning
naming the variable. --system narrows it; a named system must be reachable.

With --out, the plan is saved with a hash of the repository and of every live
property it read; mops apply refuses it once either has moved.

Exit codes: 0 success, 1 error (or a plan with errors), 2 changes present
(only with --detailed-exitcode).

Formats: text, markdown (a pull-request comment), json (the plan file).`,
		Example: `  mops plan --dir examples/acme
  mops plan --system hubspot-prod --out plan.json --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			formats := planview.PlanFormatSet()
			ws, err := g.workspace(env, formats.Check)
			if err != nil {
				return err
			}
			p, err := ws.Plan(cmd.Context(), systems, workspace.PlanOptions{IncludeConverted: includeConverted})
			if err != nil {
				return err
			}
			// A plan with errors is shown, never saved: its errors are what
			// the user must fix.
			if out != "" && !p.HasErrors() {
				err = plan.Write(out, p)
			} else {
				err = p.Seal()
			}
			if err != nil {
				return err
			}
			if err := formats.Write(env.Stdout, g.format, p, planview.Options{Color: env.color(env.Stdout)}); err != nil {
				return err
			}
			switch {
			case out != "" && p.HasErrors():
				return fmt.Errorf("not writing %s: the plan has errors", out)
			case p.HasErrors():
				return exitCode(ExitFailed)
			case out != "" && g.format == "text":
				fmt.Fprintf(env.Stdout, "\nSaved the plan to %s. Apply it with: mops apply %s --approved-by ID\n", out, out)
			}
			if detailed && !p.Empty() {
				return exitCode(ExitChanges)
			}
			return nil
		},
	}
	systemFlags(cmd, env, &systems)
	cmd.Flags().StringVar(&out, "out", "", "save the plan to `FILE` for mops apply")
	cmd.Flags().BoolVar(&detailed, "detailed-exitcode", false, "exit 2 when the plan has changes")
	cmd.Flags().BoolVar(&includeConverted, "include-converted", false, "migrate converted Salesforce leads too (needs the View and Edit Converted Leads permission); by default they keep their value and the plan says how many")
	return cmd
}
