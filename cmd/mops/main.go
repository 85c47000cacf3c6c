// Command mops is GitOps for marketing governance. All behaviour lives in
// package cli; main only maps it to the process exit code.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/mops-dev/mops/engine/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
