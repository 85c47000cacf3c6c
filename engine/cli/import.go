package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/workspace"
)

func newImport(env Env, g *globals) *cobra.Command {
	var req workspace.ImportRequest
	cmd := &cobra.Command{
		Use:   "import --out DIR",
		Short: "Write Taxonomy and LifecycleModel YAML for what a live system has now",
		Long: `Bootstrap a governance repository from a live system. For every enumeration
property of the chosen object types (default: contacts and companies; choose
with --object, or only the properties the repository in --dir binds with
--bound-only), import writes into --out:

  taxonomies/<object>-<property>.yaml   a Taxonomy: the visible options as
                                        values, in display order, with their
                                        labels and descriptions; valueCase the
                                        strictest that fits; bound to the property
  lifecycle/<object>-lifecycle.yaml     the lifecyclestage property of contacts
                                        and companies, as a LifecycleModel: the
                                        stages in display order, the last terminal
  mops.yaml                             if absent: a minimal Project with the
                                        system (a sandbox's state and seed paths
                                        rewritten so the new repository reaches
                                        the same sandbox; never a token)

Options hidden in live are written as deprecated values only when the
repository in --dir already names their replacement; otherwise they are left
out and listed in a comment at the top of the file, since mops plan would
then propose removing them. Properties the --out repository already binds
are skipped. An import then validates clean and plans empty.

Existing files are never replaced without --force; import writes the rest
and exits 1 naming the files it kept.

Exit codes: 0 written, 1 error or files kept. Formats: text, json.`,
		Example: `  mops import --dir examples/acme --system sandbox --out ../acme-live
  mops import --system hubspot-prod --object contacts --object deals --out imported
  mops import --system sandbox --bound-only --out . --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			formats := planview.ImportFormatSet()
			if req.Out == "" {
				return errors.New("--out DIR is required: the folder to write the imported repository into")
			}
			ws, err := g.workspace(env, formats.Check)
			if err != nil {
				return err
			}
			rep, err := ws.Import(cmd.Context(), req)
			if err != nil {
				return err
			}
			if err := formats.Write(env.Stdout, g.format, rep, planview.Options{}); err != nil {
				return err
			}
			if kept := rep.Kept(); kept > 0 {
				return fmt.Errorf("%d file(s) already exist in %s and were not replaced; re-run with --force to replace them", kept, req.Out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&req.System, "system", "", "system `NAME` from mops.yaml to read (default: spec.defaultSystem)")
	cmd.Flags().StringVar(&req.Out, "out", "", "folder `DIR` to write the YAML into (created if needed)")
	cmd.Flags().StringArrayVar(&req.Objects, "object", nil, "object type `TYPE` to import (repeatable; default: contacts and companies)")
	cmd.Flags().BoolVar(&req.BoundOnly, "bound-only", false, "import only the properties the repository in --dir binds")
	cmd.Flags().BoolVar(&req.Force, "force", false, "replace files that already exist")
	return cmd
}
