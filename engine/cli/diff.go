package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/semdiff"
)

func newDiff(env Env, g *globals) *cobra.Command {
	var base, head string
	cmd := &cobra.Command{
		Use:   "diff --base REF [--head REF]",
		Short: "Show the semantic diff of governance between two git revisions",
		Long: `Compare the governance documents at git revision --base with those at --head
(default: the working tree, including uncommitted edits) and report what
changed in review terms: taxonomy values added, removed, relabelled,
reordered or deprecated; lifecycle stages and transitions; naming templates
and tokens; RACI assignments; SLA targets; consent rules (flagged as
compliance-relevant, loosened or tightened); campaign fields. Documents are
paired by kind and name. No live system is contacted.

REF is anything git understands: a branch (main, origin/main), a tag, a
commit hash, HEAD~1. In a shallow CI clone, fetch the base first
(actions/checkout with fetch-depth: 0).

Exit codes: 0 whether or not there are differences, 2 mops could not run
(unknown revision, not a git repository, bad flags).

Formats: ` + strings.Join(semdiff.Formats(), ", ") + ` (markdown is a pull-request comment with
Mermaid diagrams of changed lifecycle models, summarised to fit GitHub's
65,536-character limit).`,
		Example: `  mops diff --base origin/main
  mops diff --base v1.4.0 --head HEAD --format json
  mops diff --dir examples/acme --base HEAD~1 --format markdown > comment.md`,
		Args:        cobra.NoArgs,
		Annotations: map[string]string{annotationCannot: "2"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			formats := semdiff.FormatSet()
			ws, err := g.workspace(env, formats.Check)
			if err != nil {
				return err
			}
			d, err := ws.Diff(base, head)
			if err != nil {
				return err
			}
			for _, s := range d.Skipped {
				semdiff.WriteLoadProblems(env.Stderr, s)
			}
			return formats.Write(env.Stdout, g.format, d.Report, semdiff.Options{Color: env.color(env.Stdout)})
		},
	}
	cmd.Flags().StringVar(&base, "base", "", "git revision to compare from (`REF`: branch, tag, commit, HEAD~1)")
	cmd.Flags().StringVar(&head, "head", "", "git revision to compare to (`REF`; default: the working tree)")
	_ = cmd.MarkFlagRequired("base")
	return cmd
}
