package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/live/systems"
)

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
Properties, search, batch update and subscription-definition APIs. Point any
HubSpot client at it. State is kept in the system's state file, created from
its seed on first use.

Fault injection (for testing clients): --faults "ratelimit=3,retryafter=1s,
server=2,status=503,latency=200ms,drop=1,path=/crm", or at run time with
PUT /_sandbox/faults. GET /_sandbox/requests counts requests per route.`,
		Example: `  mops sandbox serve --dir examples/acme --addr 127.0.0.1:8089
  curl -H 'Authorization: Bearer any' http://127.0.0.1:8089/crm/v3/properties/contacts`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := projectOnly(g.dir)
			if err != nil {
				return err
			}
			srv, err := systems.Listen(g.dir, proj, system, opts)
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			what := "Sandbox"
			if srv.System.Flavor == "salesforce" {
				what = "Salesforce sandbox"
			}
			fmt.Fprintf(env.Stdout, "%s %s serving on %s (state %s). Ctrl-C stops it.\n", what, srv.System.Name, srv.URL, srv.System.State)
			if err := srv.Serve(cmd.Context()); err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			return nil
		},
	}
	serve.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8089", "loopback `ADDRESS` to listen on")
	serve.Flags().StringVar(&system, "system", "", "sandbox system `NAME` (default: spec.defaultSystem)")
	serve.Flags().StringVar(&opts.Faults, "faults", "", "faults to inject (`SPEC`, see above)")
	serve.Flags().StringVar(&opts.Token, "token", "", "accept only this bearer `TOKEN` (default: any non-empty token)")
	cmd.AddCommand(serve)
	return cmd
}
