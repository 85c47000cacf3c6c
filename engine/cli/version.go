package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/buildinfo"
)

// versionFormat is the formatVersion of `mops version --format json`.
const versionFormat = 1

func newVersion(env Env, g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date of mops",
		Long: `Print the version of mops, the commit it was built from and when, the same
line as mops --version. Formats: text, json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch g.format {
			case "text":
				_, err := fmt.Fprintln(env.Stdout, env.Build.String())
				return err
			case "json":
				out := struct {
					FormatVersion int `json:"formatVersion"`
					buildinfo.Info
				}{versionFormat, env.Build}
				return encodeJSON(env.Stdout, out)
			}
			return fmt.Errorf("unknown format %q; supported: text, json", g.format)
		},
	}
}
