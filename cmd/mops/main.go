// Command mops is GitOps for marketing governance. All behaviour lives in
// package cli; main only sets up the process and maps the result to the
// exit code.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mops-dev/mops/engine/buildinfo"
	"github.com/mops-dev/mops/engine/cli"
)

// Set by the linker in release builds (.goreleaser.yaml):
// -X main.version=1.2.0 -X main.commit=<sha> -X main.date=<RFC 3339>.
// Other builds leave them empty and take the toolchain's build information.
var version, commit, date string

func main() {
	tuneGC(os.Getenv)
	// A reader that goes away (`mops apply ... | head`) must not kill mops
	// between two writes to live: writes to a closed pipe then fail with
	// EPIPE, which the renderers ignore, and the run finishes and records
	// every step.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	env := cli.OSEnv()
	env.Build = buildinfo.Resolve(version, commit, date)
	code := cli.Run(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}
