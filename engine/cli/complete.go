package cli

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/config"
	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/planview"
	"github.com/mops-dev/mops/engine/render"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/scorecard"
	"github.com/mops-dev/mops/engine/semdiff"
)

// kinds lists the document kinds, for shell completion.
func kinds() []string {
	var out []string
	for _, k := range model.Kinds() {
		out = append(out, string(k))
	}
	return out
}

// commandFormats lists the --format values of each command, from the
// format sets the commands write through.
func commandFormats(name string) []string {
	switch name {
	case "validate":
		return render.Formats()
	case "diff":
		return semdiff.Formats()
	case "plan":
		return planview.PlanFormatSet().Names()
	case "drift":
		return planview.DriftFormatSet().Names()
	case "import":
		return planview.ImportFormatSet().Names()
	case "log":
		return planview.LogFormatSet().Names()
	case "test":
		return render.TestFormatSet().Names()
	case "scorecard":
		return scorecard.Formats()
	case "init", "get", "version":
		return []string{"text", "json"}
	}
	return nil
}

// addCompletions teaches shell completion (mops completion bash|zsh|fish|
// powershell) the values of mops's flags: formats per command, the
// systems of mops.yaml in --dir, and git refs for --base, --head and
// --changed-since.
func addCompletions(root *cobra.Command, g *globals) {
	noFiles := cobra.ShellCompDirectiveNoFileComp
	_ = root.RegisterFlagCompletionFunc("format", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return commandFormats(cmd.Name()), noFiles
	})
	systemNames := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		v, err := config.Read(repofs.DirFS(g.dir))
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		names, _ := v.Get("systems")
		return names, noFiles
	}
	gitRefs := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		r, err := gitrepo.Open(g.dir)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return r.RefNames(), noFiles
	}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for name, fn := range map[string]cobra.CompletionFunc{"system": systemNames, "base": gitRefs, "head": gitRefs, "changed-since": gitRefs} {
			if c.Flags().Lookup(name) != nil && c.LocalFlags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, fn)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completeKinds completes a KIND argument.
func completeKinds(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return slices.Clone(kinds()), cobra.ShellCompDirectiveNoFileComp
}
