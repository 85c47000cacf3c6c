package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/scorecard"
)

func newScorecard(env Env, g *globals) *cobra.Command {
	var since, until string
	var withLive, noCache bool
	cmd := &cobra.Command{
		Use:   "scorecard",
		Short: "The weekly MOps scorecard from the repository's git history",
		Long: `Compute, per week, campaign cycle time (median and p90), on-time launch %,
first-time QA pass rate and SLA attainment from the git history of the
governance repository, with governance activity from the change log; with
--live, data completeness and drift of the live systems that are reachable.

Each commit's results are cached by commit under .mops/cache, so the next
run only reads new commits. docs/scorecard.md says how every figure is
computed; --format json lists the campaigns behind each one.

Formats: ` + strings.Join(scorecard.Formats(), ", "),
		Example: `  mops scorecard --live
  mops scorecard --since 26w --format markdown > scorecard.md
  mops scorecard --since 2026-07-01 --until 2026-12-31 --format html > scorecard.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := scorecard.FormatSet().Check(g.format); err != nil {
				return err
			}
			from, to, err := scorecard.Window(since, until, env.Now())
			if err != nil {
				return err
			}
			r, err := scorecard.Compute(cmd.Context(), scorecard.Options{
				Dir: g.dir, Since: from, Until: to, NoCache: noCache,
				Live: withLive, Getenv: env.Getenv, Now: env.Now,
				Connect: g.connect(env),
			})
			if err != nil {
				return fmt.Errorf("scorecard: %w", err)
			}
			return scorecard.Write(env.Stdout, g.format, r)
		},
	}
	cmd.Flags().StringVar(&since, "since", "12w", "first week: a number of weeks ending with --until (`12w`) or a DATE")
	cmd.Flags().StringVar(&until, "until", "", "last day counted, `DATE` (YYYY-MM-DD; default today)")
	cmd.Flags().BoolVar(&withLive, "live", false, "also read the live systems the repository binds: data completeness and drift (HubSpot paces the searches this takes to 5 a second)")
	cmd.Flags().BoolVar(&noCache, "no-cache", false, "recompute every commit; read and write no cache")
	return cmd
}
