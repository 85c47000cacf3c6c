// Package cli is the `mops` command line: one cobra command per verb, each
// returning an exit code through an *ExitError instead of calling os.Exit.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/mops-dev/mops/engine/buildinfo"
	"github.com/mops-dev/mops/engine/live/systems"
)

// Exit codes shared by every command (CLI.md).
const (
	ExitOK      = 0
	ExitFailed  = 1
	ExitCannot  = 2
	ExitChanges = 2
)

// ExitError carries a command's exit code. A nil Err means the command has
// already reported why (findings were printed, say).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// exitf returns an ExitError with a message.
func exitf(code int, format string, args ...any) error {
	return &ExitError{Code: code, Err: fmt.Errorf(format, args...)}
}

// Env is what the commands read from the outside world; tests replace it.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// IsTerminal reports whether w is an interactive terminal.
	IsTerminal func(w io.Writer) bool
	// Build identifies this mops (cmd/mops fills it from the linker's
	// values and the build information).
	Build buildinfo.Info
}

// version is the running mops's version, "dev" when unknown.
func (e Env) version() string {
	if e.Build.Version == "" {
		return "dev"
	}
	return e.Build.Version
}

// OSEnv is the real environment.
func OSEnv() Env {
	return Env{
		Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now,
		IsTerminal: func(w io.Writer) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
	}
}

// color reports whether output to w may use ANSI colour: only on a
// terminal, and never when NO_COLOR is set (https://no-color.org).
func (e Env) color(w io.Writer) bool {
	return e.Getenv("NO_COLOR") == "" && e.IsTerminal != nil && e.IsTerminal(w)
}

// annotationUsageExit marks commands whose usage errors exit 2.
const annotationUsageExit = "mops/usage-exit"

// globals are the flags every command takes.
type globals struct {
	dir     string
	format  string
	verbose bool
}

// systemOptions are how commands connect to live systems: the clients log
// to stderr (see liveLogger).
func (g *globals) systemOptions(env Env) []systems.Option {
	return []systems.Option{systems.WithLogger(liveLogger(env.Stderr, g.verbose))}
}

// liveLogger writes the live-system clients' log records to w as logfmt
// lines without a timestamp: warnings always (a Salesforce org's API
// usage running high), each retry only when verbose.
func liveLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: noTime}))
}

// Run executes mops with args (without the program name) and returns the
// process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	root := newRoot(env)
	root.SetArgs(args)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(env.Stderr, "mops: %v\n", ee.Err)
		}
		return ee.Code
	}
	// Usage errors (unknown flag, wrong arguments) come from cobra itself.
	// Their exit code is the command's "could not run" code: 2 where
	// CLI.md gives one (validate, diff), else 1, since 2 means "changes"
	// to plan and "drift" to drift.
	name := "mops"
	if cmd != nil {
		name = cmd.CommandPath()
	}
	fmt.Fprintf(env.Stderr, "mops: %v\nRun '%s --help' for usage.\n", err, name)
	if cmd != nil && cmd.Annotations[annotationUsageExit] == "2" {
		return ExitCannot
	}
	return ExitFailed
}

func newRoot(env Env) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "mops",
		Short: "GitOps for marketing governance: validate, diff, plan and apply",
		Long: `mops keeps a marketing team's governance as code: taxonomies (picklists),
lifecycle models, naming conventions, RACI, SLAs, consent policies and
campaigns live as YAML in git. mops validates them with JSON Schema and
Rego policies, diffs them between git refs and against live systems
(HubSpot, Salesforce, and built-in sandboxes that behave like them), and
applies approved plans with a hash-chained change log.

Start with:
  mops validate --dir examples/acme     check a repository
  mops plan --dir examples/acme         what would change in the sandboxes
  mops schema Campaign                  see what a Campaign may contain`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       env.Build.String(),
	}
	// --version prints exactly what `mops version` prints.
	root.SetVersionTemplate("{{.Version}}\n")
	root.PersistentFlags().StringVar(&g.dir, "dir", ".", "governance repository `DIR` (holds mops.yaml)")
	root.PersistentFlags().StringVar(&g.format, "format", "text", "output `FORMAT` (see each command)")
	root.PersistentFlags().BoolVar(&g.verbose, "verbose", false, "log every retried live-system call to stderr")
	root.AddCommand(
		newValidate(env, g),
		newSchema(env, g),
		newDiff(env, g),
		newPlan(env, g),
		newDrift(env, g),
		newImport(env, g),
		newApply(env, g),
		newLog(env, g),
		newSandbox(env, g),
		newCodeowners(env, g),
		newTest(env, g),
		newScorecard(env, g),
		newInit(env, g),
		newConfig(env, g),
		newVersion(env, g),
	)
	addCompletions(root, g)
	showBoolFlagsPlain(root)
	return root
}
