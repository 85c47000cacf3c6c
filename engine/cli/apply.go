package cli

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
)

type applyFlags struct {
	approvedBy []string
	emergency  bool
	reason     string
	dryRun     bool
	actor      string
}

func newApply(env Env, g *globals) *cobra.Command {
	f := &applyFlags{}
	cmd := &cobra.Command{
		Use:   "apply PLAN",
		Short: "Carry out a saved plan after checking approvals and staleness",
		Long: `Carry out a plan saved by mops plan --out. Before touching anything, apply
refuses a plan that:
  - was edited after it was written (its hash does not match),
  - was made from other governance documents or another commit,
  - is already in the change log (plans are single-use),
  - falls inside a spec.freezes window (unless --emergency --reason by a
    member of the window's override role),
  - lacks the approvals the approval policy asks for (--approved-by),
  - is stale: a live property it read has changed since.
Then it takes the system's lock and runs each change in order, re-reading
live before every step, and records every step in the change log.

Exit codes: 0 applied, 1 refused or failed (the change log says how far it got).`,
		Example: `  mops apply plan.json --approved-by dana@acme.example --approved-by @acme/mops-leads
  mops apply plan.json --dry-run --approved-by dana@acme.example --approved-by priya@acme.example`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p, err := plan.Read(args[0])
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			b, err := loadValid(ctx, env, g)
			if err != nil {
				return err
			}
			proj, err := b.ProjectSpec()
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			sel, err := systems.Select(g.dir, b, p.Systems, env.Getenv, g.systemOptions(env)...)
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			defer sel.Close()
			provs := sel.Providers()
			approver, err := newApprover(ctx, g.dir, proj)
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			commit, dirty := gitState(g.dir)
			host, _ := os.Hostname()
			verb := "Applying"
			if f.dryRun {
				verb = "Dry run of"
			}
			// The header says "Applying" only once every refusal check has
			// passed: apply reports its first step after them.
			started := false
			req := apply.Request{
				Plan: p, Bundle: b, Providers: provs, Commit: commit, Dirty: dirty,
				LogPath:   changelogPath(g.dir, proj),
				LockDir:   filepath.Join(g.dir, ".mops", "locks"),
				Actor:     actor(env, g.dir, f.actor),
				Approvers: f.approvedBy, Emergency: f.emergency, Reason: f.reason,
				Now: env.Now, Approval: approver, Host: host, PID: os.Getpid(), DryRun: f.dryRun,
				Progress: func(s apply.StepResult) {
					if !started {
						started = true
						fmt.Fprintf(env.Stdout, "%s plan %s to %s (%d change(s))\n", verb, short(p.Hash), p.SystemList(), len(p.Changes))
					}
					line := fmt.Sprintf("  %d. %s %s %s: %s", s.Change.Seq, s.Change.Action.Symbol(), s.Change.Action, s.Change.Target, s.Result)
					if s.Records > 0 {
						line += fmt.Sprintf(" (%d record(s))", s.Records)
					}
					if s.Err != nil {
						line += ": " + s.Err.Error()
					}
					fmt.Fprintln(env.Stdout, line)
				},
			}
			if _, err := apply.Run(ctx, req); err != nil {
				var r *apply.Refusal
				if errors.As(err, &r) {
					return exitf(ExitFailed, "%s", r.Error())
				}
				return exitf(ExitFailed, "%w", err)
			}
			if f.dryRun {
				fmt.Fprintln(env.Stdout, "Dry run: nothing was written.")
				return nil
			}
			fmt.Fprintf(env.Stdout, "Applied. Recorded in %s.\n", req.LogPath)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&f.approvedBy, "approved-by", nil, "a RACI member `ID` who approved the plan (repeatable; in CI, the pull request's reviewers)")
	cmd.Flags().BoolVar(&f.emergency, "emergency", false, "apply inside a freeze window (needs --reason and a member of the window's override role)")
	cmd.Flags().StringVar(&f.reason, "reason", "", "why an emergency apply cannot wait (`TEXT`, logged)")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "walk the plan against live without writing anything")
	cmd.Flags().StringVar(&f.actor, "actor", "", "who runs the apply (default: $MOPS_ACTOR, $GITHUB_ACTOR, git's user.email or $USER)")
	return cmd
}

func changelogPath(dir string, proj model.Project) string {
	return filepath.Join(dir, filepath.FromSlash(proj.ChangelogFile()))
}

// actor names who runs an apply: --actor, $MOPS_ACTOR, $GITHUB_ACTOR, git's
// user.email, $USER, in that order.
func actor(env Env, dir, flag string) string {
	if a := cmp.Or(flag, env.Getenv("MOPS_ACTOR"), env.Getenv("GITHUB_ACTOR")); a != "" {
		return a
	}
	if r, err := gitrepo.Open(dir); err == nil {
		if email := r.UserEmail(); email != "" {
			return email
		}
	}
	return cmp.Or(env.Getenv("USER"), "unknown")
}

func short(h string) string {
	h = strings.TrimPrefix(h, "sha256:")
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func newLog(env Env, g *globals) *cobra.Command {
	var verify bool
	var system, since, until string
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Show the change log of applied plans, or verify its hash chain",
		Long: `Show the change log that mops apply writes (spec.changelog in mops.yaml):
one record per apply run and per change, each carrying the hash of the
record before it. --verify checks the whole chain instead and prints the
verdict: intact, or where it first breaks and the record there; it exits 1
when a record was edited, deleted, inserted or reordered.

Formats: text, json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := projectOnly(g.dir)
			if err != nil {
				return err
			}
			path := changelogPath(g.dir, proj)
			recs, problems, err := changelog.Verify(path)
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			if verify {
				rel, _ := filepath.Rel(g.dir, path)
				if err := writeVerdict(env, g.format, filepath.ToSlash(rel), recs, problems); err != nil {
					return exitf(ExitFailed, "%w", err)
				}
				if len(problems) > 0 {
					return &ExitError{Code: ExitFailed}
				}
				return nil
			}
			filtered, err := filterLog(recs, system, since, until)
			if err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			if err := writeLog(env, g.format, filtered); err != nil {
				return exitf(ExitFailed, "%w", err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&verify, "verify", false, "check the hash chain; exit 1 if the log was tampered with")
	cmd.Flags().StringVar(&system, "system", "", "only records of system `NAME`")
	cmd.Flags().StringVar(&since, "since", "", "only records at or after `DATE` (YYYY-MM-DD or RFC 3339)")
	cmd.Flags().StringVar(&until, "until", "", "only records before `DATE` (YYYY-MM-DD or RFC 3339)")
	return cmd
}
