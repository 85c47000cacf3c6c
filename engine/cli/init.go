package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/importer"
	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/scaffold"
	"github.com/mops-dev/mops/engine/workspace"
)

// initFormat is the formatVersion of `mops init --format json`.
const initFormat = 1

type initFlags struct {
	name, from, url string
}

func newInit(env Env, g *globals) *cobra.Command {
	f := &initFlags{}
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
			dir := g.dir
			if len(args) == 1 {
				dir = args[0]
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return err
			}
			name := f.name
			if name == "" {
				name = filepath.Base(abs)
			}
			if f.from == "hubspot" && env.Getenv("HUBSPOT_TOKEN") == "" {
				return errors.New("--from hubspot reads HubSpot with the private-app token in HUBSPOT_TOKEN, which is not set; nothing was written")
			}
			files, err := scaffold.Files(scaffold.Options{Name: name, From: f.from, URL: f.url})
			if err != nil {
				return err
			}
			if err := scaffold.Write(dir, files); err != nil {
				var ee *scaffold.ExistsError
				if errors.As(err, &ee) {
					return fmt.Errorf("%s already has %d of the files init writes, so nothing was written:\n  %s\nRun init in an empty folder, or move these away", dir, len(ee.Paths), strings.Join(ee.Paths, "\n  "))
				}
				return err
			}
			var imp *importer.Report
			if f.from != "" {
				ws := workspace.Workspace{Dir: dir, Now: env.Now, Getenv: env.Getenv, Version: env.version()}
				imp, err = ws.Import(cmd.Context(), workspace.ImportRequest{Out: dir})
				if err != nil {
					return fmt.Errorf("the repository is written, but the import from %s failed (fix it, then run mops import --dir %s --out %s): %w", f.from, dir, dir, err)
				}
			}
			return writeInit(env, g.format, dir, files, imp)
		},
	}
	cmd.Flags().StringVar(&f.name, "name", "", "the project's `NAME` (default: the folder's name)")
	cmd.Flags().StringVar(&f.from, "from", "", "import the picklists and lifecycles of a live `SYSTEM` type instead of writing samples: hubspot")
	cmd.Flags().StringVar(&f.url, "url", "", "with --from: the system's API base `URL` (default: the vendor's)")
	_ = cmd.RegisterFlagCompletionFunc("from", cobra.FixedCompletions(scaffold.Froms(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func writeInit(env Env, format, dir string, files []scaffold.File, imp *importer.Report) error {
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	if format == "json" {
		return encodeJSON(env.Stdout, struct {
			FormatVersion int              `json:"formatVersion"`
			Dir           string           `json:"dir"`
			Files         []string         `json:"files"`
			Import        *importer.Report `json:"import,omitempty"`
		}{initFormat, dir, paths, imp})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "mops init: wrote %d file(s) into %s\n", len(paths), dir)
	for _, p := range paths {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	if _, err := fmt.Fprint(env.Stdout, b.String()); err != nil {
		return err
	}
	if imp != nil {
		if err := planview.ImportText(env.Stdout, imp, planview.Options{}); err != nil {
			return err
		}
	}
	cd := ""
	if dir != "." {
		cd = "cd " + dir + " && "
	}
	_, err := fmt.Fprintf(env.Stdout, "\nNext: %sgit init && mops validate && mops plan\n", cd)
	return err
}
