// Command mops is GitOps for marketing governance. All behaviour lives in
// package cli; main only sets up the process and maps the result to the
// exit code.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/mops-dev/mops/engine/cli"
)

func main() {
	// mops is a short-lived batch process that allocates a lot while it
	// loads a repository: trade some memory for less time in the collector,
	// unless the user tuned GOGC.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
