package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/systems"
)

func newSandbox(env Env, g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Work with the built-in HubSpot-compatible sandbox",
	}
	var addr, system, faults, token string
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
			sys, ok := proj.System(system)
			if !ok || sys.Type != "sandbox" {
				return exitf(ExitFailed, "no sandbox system %q in mops.yaml (a system with type: sandbox)", system)
			}
			seed := ""
			if sys.Seed != "" {
				seed = systems.Resolve(g.dir, sys.Seed)
			}
			if sys.Flavor == "salesforce" {
				return serveSalesforce(cmd.Context(), env, sys, systems.Resolve(g.dir, sys.State), seed, addr, token, faults)
			}
			var opts []sandbox.Option
			if token != "" {
				opts = append(opts, sandbox.WithToken(token))
			}
			sb, err := sandbox.Open(systems.Resolve(g.dir, sys.State), seed, opts...)
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			if faults != "" {
				f, err := emulator.ParseFaults(faults)
				if err != nil {
					return exitf(ExitCannot, "--faults: %w", err)
				}
				sb.SetFaults(f)
			}
			ln, err := emulator.ListenLoopback(addr)
			if err != nil {
				return exitf(ExitCannot, "%w", err)
			}
			fmt.Fprintf(env.Stdout, "Sandbox %s serving on http://%s (state %s). Ctrl-C stops it.\n", sys.Name, ln.Addr(), sys.State)
			if err := emulator.Serve(cmd.Context(), ln, sb); err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			return nil
		},
	}
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:8089", "loopback `ADDRESS` to listen on")
	serve.Flags().StringVar(&system, "system", "", "sandbox system `NAME` (default: spec.defaultSystem)")
	serve.Flags().StringVar(&faults, "faults", "", "faults to inject (`SPEC`, see above)")
	serve.Flags().StringVar(&token, "token", "", "accept only this bearer `TOKEN` (default: any non-empty token)")
	cmd.AddCommand(serve)
	return cmd
}

// serveSalesforce serves a sandbox system with flavor salesforce: the
// Salesforce emulator, with the same --faults, --token and --addr.
func serveSalesforce(ctx context.Context, env Env, sys model.System, state, seed, addr, token, faults string) error {
	var opts []sfsandbox.Option
	if token != "" {
		opts = append(opts, sfsandbox.WithToken(token))
	}
	sb, err := sfsandbox.Open(state, seed, opts...)
	if err != nil {
		return exitf(ExitFailed, "%w", err)
	}
	if faults != "" {
		f, err := emulator.ParseFaults(faults)
		if err != nil {
			return exitf(ExitCannot, "--faults: %w", err)
		}
		sb.SetFaults(f)
	}
	ln, err := emulator.ListenLoopback(addr)
	if err != nil {
		return exitf(ExitCannot, "%w", err)
	}
	fmt.Fprintf(env.Stdout, "Salesforce sandbox %s serving on http://%s/services/data/%s (state %s). Ctrl-C stops it.\n", sys.Name, ln.Addr(), sfapi.DefaultAPIVersion, sys.State)
	if err := emulator.Serve(ctx, ln, sb); err != nil {
		return exitf(ExitFailed, "%w", err)
	}
	return nil
}
