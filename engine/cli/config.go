package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/config"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/source"
)

// configFormat is the formatVersion of `mops config get --format json`.
const configFormat = 1

func newConfig(env Env, g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Answer questions about mops.yaml, for scripts",
	}
	var help strings.Builder
	for _, k := range config.Keys() {
		fmt.Fprintf(&help, "  %-14s %s\n", k[0], k[1])
	}
	get := &cobra.Command{
		Use:   "get KEY",
		Short: "Print one setting of mops.yaml, with mops's defaults applied",
		Long: `Print one setting of the repository's mops.yaml as mops itself reads it,
defaults applied, one value a line. Scripts ask this instead of parsing the
YAML. Keys:

` + help.String() + `
Exit codes: 0 printed, 1 unknown key or a broken mops.yaml. Formats: text, json.`,
		Example:   "  mops config get changelog --dir examples/acme",
		Args:      cobra.ExactArgs(1),
		ValidArgs: configKeys(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.format != "text" && g.format != "json" {
				return fmt.Errorf("unknown format %q; supported: text, json", g.format)
			}
			vals, err := config.Read(repofs.DirFS(g.dir))
			if err != nil {
				return fmt.Errorf("%s: %w", g.dir, err)
			}
			v, err := vals.Get(args[0])
			if err != nil {
				return err
			}
			if g.format == "json" {
				return encodeJSON(env.Stdout, struct {
					FormatVersion int      `json:"formatVersion"`
					Key           string   `json:"key"`
					Values        []string `json:"values"`
				}{configFormat, args[0], v})
			}
			for _, line := range v {
				// One value a line, as scripts read them: a value from
				// mops.yaml cannot add a line, nor drive the terminal.
				if _, err := fmt.Fprintln(env.Stdout, source.EscapeLine(line)); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.AddCommand(get)
	return cmd
}

func configKeys() []string {
	var out []string
	for _, k := range config.Keys() {
		out = append(out, k[0])
	}
	return out
}
