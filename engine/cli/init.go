package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/scaffold"
	"github.com/mops-dev/mops/engine/workspace"
)

// initFormat is the formatVersion of `mops init --format json`.
const initFormat = 1

func newInit(env Env, g *globals) *cobra.Command {
	var f workspace.InitRequest
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Start a governance repository that validates and plans on first run",
		Long: `Write a new governance repository into DIR (default: the current folder):

  mops.yaml                    the project, with a built-in sandbox seeded from
                               live/sandbox-seed.json (and your real system,
                               commented out, to fill in)
  taxonomies/, lifecycle/,     a picklist bound to the sandbox, a lifecycle
  conventions/, campaigns/     model, the campaign naming convention and one
                               campaign that follows it
  raci.yaml                    roles with their members, and who approves what
  .mops/mops.schema.json       the editor schema (mops schema --bundle),
  .vscode/settings.json        mapped to every governance file
  .github/workflows/governance.yml   validate, review, apply and drift in CI
  .gitignore, README.md

mops validate and mops plan then exit 0 in DIR. With --from hubspot, init
writes the project with a hubspot-prod system instead of the samples and runs
mops import from it (HUBSPOT_TOKEN must hold a private-app token).

init never replaces a file: if any of these exist, it lists them and writes
nothing. Exit codes: 0 written, 1 files exist or the import failed.
Formats: text, json.`,
		Example: `  mops init acme-governance && cd acme-governance && mops validate && mops plan
  HUBSPOT_TOKEN=... mops init --from hubspot acme-governance`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.format != "text" && g.format != "json" {
				return fmt.Errorf("unknown format %q; supported: text, json", g.format)
			}
			ws := workspace.Workspace{Dir: g.dir, Now: env.Now, Getenv: env.Getenv, Version: env.version()}
			if len(args) == 1 {
				ws.Dir = args[0]
			}
			done, err := ws.Init(cmd.Context(), f)
			if err != nil {
				return err
			}
			return writeInit(env, g.format, done)
		},
	}
	cmd.Flags().StringVar(&f.Name, "name", "", "the project's `NAME` (default: the folder's name)")
	cmd.Flags().StringVar(&f.From, "from", "", "import the picklists and lifecycles of a live `SYSTEM` type instead of writing samples: hubspot")
	cmd.Flags().StringVar(&f.URL, "url", "", "with --from: the system's API base `URL` (default: the vendor's)")
	_ = cmd.RegisterFlagCompletionFunc("from", cobra.FixedCompletions(scaffold.Froms(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func writeInit(env Env, format string, done *workspace.Initialized) error {
	if format == "json" {
		return encodeJSON(env.Stdout, struct {
			FormatVersion int `json:"formatVersion"`
			*workspace.Initialized
		}{initFormat, done})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "mops init: wrote %d file(s) into %s\n", len(done.Files), done.Dir)
	for _, p := range done.Files {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	if _, err := fmt.Fprint(env.Stdout, b.String()); err != nil {
		return err
	}
	if done.Import != nil {
		if err := planview.ImportText(env.Stdout, done.Import, planview.Options{}); err != nil {
			return err
		}
	}
	cd := ""
	if done.Dir != "." {
		cd = "cd " + done.Dir + " && "
	}
	_, err := fmt.Fprintf(env.Stdout, "\nNext: %sgit init && mops validate && mops plan\n", cd)
	return err
}
