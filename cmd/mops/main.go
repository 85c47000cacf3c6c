// Command mops is GitOps for marketing governance. All behaviour lives in
// package cli; main only sets up the process and maps the result to the
// exit code.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/mops-dev/mops/engine/buildinfo"
	"github.com/mops-dev/mops/engine/cli"
)

// Set by the linker in release builds (.goreleaser.yaml):
// -X main.version=1.2.0 -X main.commit=<sha> -X main.date=<RFC 3339>.
// Other builds leave them empty and take the toolchain's build information.
var version, commit, date string

func main() {
	// mops is a short-lived batch process that allocates a lot while it
	// loads a repository: trade some memory for less time in the collector,
	// unless the user tuned GOGC.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	env := cli.OSEnv()
	env.Build = buildinfo.Resolve(version, commit, date)
	code := cli.Run(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}
