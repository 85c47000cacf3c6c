package cli

import (
	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/planview"
)

func newDrift(env Env, g *globals) *cobra.Command {
	var systems []string
	cmd := &cobra.Command{
		Use:   "drift",
		Short: "Report what live has that the repository does not",
		Long: `Read the live systems behind the repository's bindings and report every
difference, worded from live's side: options live has that the repository
does not declare, labels, descriptions and order that differ, deprecated
values still offered or still held by records, bound properties and options
live lacks, subscription types named by consent policies that live lacks.
It computes the same plan as mops plan, so no drift means mops plan shows
no changes; it writes nothing.

Drift reads the same systems as mops plan: by default every system the
repository binds, skipping one that cannot be reached from here (its token
variable is unset) with the reason; --system narrows it. It also compares
the live properties each document binds with one another (parity): a value
active in one and hidden or absent in another, or labelled differently, is
drift too.

Exit codes: 0 no drift, 2 drift, 1 error (the repository does not
validate, a system could not be read, or a binding cannot be compared).

Formats: text, markdown (a GitHub issue body, for a scheduled drift job),
json.`,
		Example: `  mops drift --dir examples/acme
  mops drift --system hubspot-prod --format markdown > drift.md
  mops drift --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			formats := planview.DriftFormatSet()
			ws, err := g.workspace(env, formats.Check)
			if err != nil {
				return err
			}
			rep, err := ws.Drift(cmd.Context(), systems)
			if err != nil {
				return err
			}
			if err := formats.Write(env.Stdout, g.format, rep, planview.Options{Color: env.color(env.Stdout)}); err != nil {
				return err
			}
			switch {
			case rep.Failed():
				return exitCode(ExitFailed)
			case rep.Drift:
				return exitCode(ExitChanges)
			}
			return nil
		},
	}
	systemFlags(cmd, env, &systems)
	return cmd
}
