package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/render"
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
			formats := render.TestFormatSet()
			ws, err := g.workspace(env, formats.Check)
			if err != nil {
				return err
			}
			rep, err := ws.Test(cmd.Context())
			if err != nil {
				return err
			}
			if err := formats.Write(env.Stdout, g.format, rep, render.TestOptions{Color: env.color(env.Stdout), Verbose: verbose}); err != nil {
				return err
			}
			if !rep.OK() {
				return exitCode(ExitFailed)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list passing tests too")
	return cmd
}

func newCodeowners(env Env, g *globals) *cobra.Command {
	var prefix string
	cmd := &cobra.Command{
		Use:   "codeowners",
		Short: "Print a CODEOWNERS file generated from RACI",
		Long: `Print a GitHub CODEOWNERS file that gives each governed document's file to the
members of the accountable and responsible roles of the RACI activity that
governs its kind. With branch protection requiring code-owner review, a pull
request changing a taxonomy then needs the taxonomy owners' approval.

Members that are GitHub users or teams (@user, @org/team) or email addresses
are written as owners; other member ids are skipped with a comment.

  mops codeowners > .github/CODEOWNERS`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := g.workspace(env, nil)
			if err != nil {
				return err
			}
			out, err := ws.Codeowners(cmd.Context(), prefix)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(env.Stdout, out)
			return err
		},
	}
	cmd.Flags().StringVar(&prefix, "path-prefix", "auto", "`PATH` of the governance repository inside the git repository (default: detected)")
	return cmd
}

func newSandbox(env Env, g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Work with the built-in HubSpot-compatible sandbox",
	}
	var system string
	var opts systems.ServeOptions
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve the sandbox over HTTP on loopback",
		Long: `Serve the repository's sandbox system (type: sandbox in mops.yaml) over HTTP on
a loopback address, with the same paths, shapes and errors as HubSpot's CRM
Properties, search, batch update and subscription-definition APIs (or, for
a sandbox with flavor: salesforce, Salesforce's REST and Tooling APIs).
Point any client at it. State is kept in the system's state file, created
from its seed on first use.

The sandbox accepts any non-empty bearer token unless one is set: in
$MOPS_SANDBOX_TOKEN (out of sight of ps), or with --token. It answers only
requests addressed to its own address (no DNS rebinding from a web page).

Fault injection (for testing clients): --faults "ratelimit=3,retryafter=1s,
server=2,status=503,latency=200ms,drop=1,path=/crm", or at run time with
PUT /_sandbox/faults. GET /_sandbox/requests counts requests per route.`,
		Example: `  mops sandbox serve --dir examples/acme --addr 127.0.0.1:8089
  curl -H 'Authorization: Bearer any' http://127.0.0.1:8089/crm/v3/properties/contacts`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := g.workspace(env, nil)
			if err != nil {
				return err
			}
			if opts.Token == "" {
				opts.Token = env.Getenv("MOPS_SANDBOX_TOKEN")
			}
			srv, err := ws.Serve(system, opts)
			if err != nil {
				return err
			}
			what := "Sandbox"
			if srv.System.Flavor == "salesforce" {
				what = "Salesforce sandbox"
			}
			fmt.Fprintf(env.Stdout, "%s %s serving on %s (state %s). Ctrl-C stops it.\n", what, srv.System.Name, srv.URL, srv.System.State)
			return srv.Serve(cmd.Context())
		},
	}
	serve.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8089", "loopback `ADDRESS` to listen on")
	serve.Flags().StringVar(&system, "system", "", "sandbox system `NAME` (default: spec.defaultSystem)")
	serve.Flags().StringVar(&opts.Faults, "faults", "", "faults to inject (`SPEC`, see above)")
	serve.Flags().StringVar(&opts.Token, "token", "", "accept only this bearer `TOKEN` (default: $MOPS_SANDBOX_TOKEN, else any non-empty token; a flag shows in ps)")
	cmd.AddCommand(serve)
	return cmd
}
