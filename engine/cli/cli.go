// Package cli is the `mops` command line. Each verb is flags, then one call
// into the engine (workspace, validate, schema), then one renderer; the
// command returns its exit code instead of calling os.Exit.
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
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/progress"
	"github.com/mops-dev/mops/engine/render"
	"github.com/mops-dev/mops/engine/source"
	"github.com/mops-dev/mops/engine/validate"
	"github.com/mops-dev/mops/engine/workspace"
)

// Exit codes (docs/cli.md has the table per command).
const (
	ExitOK = 0
	// ExitFailed: an error, a deny finding, a refusal.
	ExitFailed = 1
	// ExitCannot: validate and diff could not run (their 1 means
	// findings); usage errors of those two exit with it too.
	ExitCannot = 2
	// ExitChanges: plan --detailed-exitcode found changes, drift found
	// drift (terraform's meaning of 2), apply refused a plan that is not
	// the plan the documents and live give now (it differs, step for
	// step, from what apply derives).
	ExitChanges = 2
)

// exitCode is a command's result as an exit code, after the command has
// printed why (findings, a plan with changes, drift).
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// result is a command's result code as its error: nil for 0.
func result(code int) error {
	if code == ExitOK {
		return nil
	}
	return exitCode(code)
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

// annotationCannot marks the commands whose "could not run" code is 2
// (validate, diff): every error of theirs exits 2, since 1 means findings.
const annotationCannot = "mops/exit-cannot"

// globals are the flags every command takes.
type globals struct {
	dir     string
	format  string
	verbose bool
	quiet   bool
}

// progress is where long live-system work reports how far it has got:
// stderr, redrawn in place on a terminal, a line every 10 s elsewhere;
// nil under --quiet.
func (g *globals) progress(env Env) live.Progress {
	if g.quiet {
		return nil
	}
	terminal := env.IsTerminal != nil && env.IsTerminal(env.Stderr)
	return progress.New(env.Stderr, terminal, progress.DefaultInterval, env.Now)
}

// workspace checks the flags every command takes and returns the
// repository --dir names. formats, when set, checks --format.
func (g *globals) workspace(env Env, formats func(string) error) (workspace.Workspace, error) {
	if formats != nil {
		if err := formats(g.format); err != nil {
			return workspace.Workspace{}, err
		}
	}
	if info, err := os.Stat(g.dir); err != nil || !info.IsDir() {
		return workspace.Workspace{}, fmt.Errorf("--dir %s is not a folder", g.dir)
	}
	return workspace.Workspace{Dir: g.dir, Now: env.Now, Getenv: env.Getenv, Version: env.version(),
		Connect: g.connect(env), Progress: g.progress(env)}, nil
}

// connect are the options live systems are opened with: their log goes
// to stderr (see liveLogger).
func (g *globals) connect(env Env) []systems.Option {
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
// process exit code: 0, a command's result code, or for an error 1 (2 for
// validate and diff, whose 1 means findings).
func Run(ctx context.Context, args []string, env Env) int {
	ran := false
	root := newRoot(env)
	started(root, &ran)
	root.SetArgs(args)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	cmd, err := root.ExecuteContextC(ctx)
	var code exitCode
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &code):
		return int(code)
	}
	var invalid *validate.InvalidError
	if errors.As(err, &invalid) {
		// The blocking findings say what to fix.
		_ = render.Write(env.Stderr, render.Text, invalid.Report, render.Options{Color: env.color(env.Stderr)})
	}
	// Errors quote the repository (a system's name, a path): escaped like
	// every other output.
	fmt.Fprintf(env.Stderr, "mops: %s\n", source.Escape(err.Error()))
	if !ran { // cobra refused the arguments before the command ran
		fmt.Fprintf(env.Stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	if cmd.Annotations[annotationCannot] != "" {
		return ExitCannot
	}
	return ExitFailed
}

// started makes every command set *ran when it starts running, so Run
// tells the command's own errors from cobra's usage errors.
func started(cmd *cobra.Command, ran *bool) {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error {
			*ran = true
			return run(c, args)
		}
	}
	for _, sub := range cmd.Commands() {
		started(sub, ran)
	}
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
	root.PersistentFlags().BoolVar(&g.quiet, "quiet", false, "show no progress of long work (record migrations) on stderr")
	root.AddCommand(
		newValidate(env, g),
		newSchema(env),
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
		newDoctor(env, g),
		newVersion(env, g),
	)
	addCompletions(root, g)
	showBoolFlagsPlain(root)
	return root
}
