package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/policy"
)

func newTest(env Env, g *globals) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Run the Rego unit tests of the built-in and repository policies",
		Long: `Run every *_test.rego file of the built-in policies and of the repository's
policy folders (mops.yaml spec.policies) with OPA's test runner, under the
same restrictions as validate (no network, environment or file access).

Exit codes: 0 every test passed, 1 a test failed or a policy does not compile.
Formats: text, json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := projectOnly(g.dir)
			if err != nil {
				return err
			}
			rep, err := policy.RunTests(cmd.Context(), policy.Options{Today: env.Now(), RepoPolicies: os.DirFS(g.dir), RepoPolicyDirs: proj.Policies})
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			switch g.format {
			case "json":
				enc := json.NewEncoder(env.Stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(struct {
					FormatVersion int `json:"formatVersion"`
					policy.TestReport
				}{testFormat, rep}); err != nil {
					return exitf(ExitCannot, "%w", err)
				}
			case "text":
				writeTests(env, rep, verbose)
			default:
				return exitf(ExitCannot, "unknown format %q; supported: text, json", g.format)
			}
			if !rep.OK() {
				return &ExitError{Code: ExitFailed}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list passing tests too")
	return cmd
}

func writeTests(env Env, rep policy.TestReport, verbose bool) {
	color := env.color(env.Stdout)
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + "\x1b[0m"
	}
	var b strings.Builder
	for _, r := range rep.Results {
		switch {
		case !r.Pass && !r.Skip:
			fmt.Fprintf(&b, "%s %s.%s (%s:%d)\n", paint("\x1b[31m", "FAIL"), r.Package, r.Name, r.File, r.Line)
			if r.Message != "" {
				fmt.Fprintf(&b, "     %s\n", r.Message)
			}
			if r.Output != "" {
				fmt.Fprintf(&b, "     output: %s\n", strings.TrimSpace(r.Output))
			}
		case verbose && r.Skip:
			fmt.Fprintf(&b, "%s %s.%s\n", paint("\x1b[33m", "SKIP"), r.Package, r.Name)
		case verbose:
			fmt.Fprintf(&b, "%s %s.%s (%s)\n", paint("\x1b[32m", "PASS"), r.Package, r.Name, r.Duration.Round(1000))
		}
	}
	fmt.Fprintf(&b, "%d passed, %d failed", rep.Passed, rep.Failed)
	if rep.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", rep.Skipped)
	}
	b.WriteString("\n")
	fmt.Fprint(env.Stdout, b.String())
}

// testFormat is the formatVersion of `mops test --format json`.
const testFormat = 1
