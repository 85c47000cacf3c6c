package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/planview"
)

func newLog(env Env, g *globals) *cobra.Command {
	var verify, resolve bool
	var f changelog.Filter
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Show the change log of applied plans, or verify its hash chain",
		Long: `Show the change log that mops apply writes (spec.changelog in mops.yaml):
one record per apply run and per change, each carrying the hash of the
record before it. --verify checks the whole chain instead and prints the
verdict: intact, or where it first breaks and the record there; it exits 1
when a record was edited, deleted, inserted or reordered, or when a write to
live has an intent and no outcome (the apply that made it stopped, or is
still running).

--resolve records the outcome of each such write: it reads live (so it needs
the systems' tokens), records the step as recovered (live holds what it
wrote) or not-applied (mops plan lists it again), and ends the stopped runs.
It writes nothing to live. mops apply does the same before its first step.

Formats: text, json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if resolve {
				formats := planview.ResolveFormatSet()
				ws, err := g.workspace(env, formats.Check)
				if err != nil {
					return err
				}
				rs, err := ws.Resolve(cmd.Context(), "")
				if err != nil {
					return err
				}
				return formats.Write(env.Stdout, g.format, rs, planview.Options{})
			}
			if verify {
				formats := planview.VerdictFormatSet()
				ws, err := g.workspace(env, formats.Check)
				if err != nil {
					return err
				}
				v, err := ws.Verify()
				if err != nil {
					return err
				}
				if err := formats.Write(env.Stdout, g.format, v, planview.Options{}); err != nil {
					return err
				}
				if !v.Complete() {
					return exitCode(ExitFailed)
				}
				return nil
			}
			formats := planview.LogFormatSet()
			ws, err := g.workspace(env, formats.Check)
			if err != nil {
				return err
			}
			rep, err := ws.Log(f)
			if err != nil {
				return err
			}
			return formats.Write(env.Stdout, g.format, rep, planview.Options{})
		},
	}
	cmd.Flags().BoolVar(&verify, "verify", false, "check the whole hash chain and print the verdict; exit 1 if the log was tampered with or a write has no outcome")
	cmd.Flags().BoolVar(&resolve, "resolve", false, "record the outcome of every write a stopped apply left open, by reading live (writes nothing to live)")
	cmd.MarkFlagsMutuallyExclusive("verify", "resolve")
	cmd.Flags().StringVar(&f.System, "system", "", "only records of system `NAME`")
	cmd.Flags().Var(dateValue{&f.Since}, "since", "only records at or after `DATE` (YYYY-MM-DD or RFC 3339)")
	cmd.Flags().Var(dateValue{&f.Until}, "until", "only records before `DATE` (YYYY-MM-DD or RFC 3339)")
	return cmd
}

// dateValue is a --since or --until flag: a day or an RFC 3339 time.
type dateValue struct{ t *time.Time }

func (d dateValue) String() string {
	if d.t == nil || d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.RFC3339)
}

func (d dateValue) Set(s string) error {
	t, err := changelog.ParseDate(s)
	if err == nil {
		*d.t = t
	}
	return err
}

func (d dateValue) Type() string { return "DATE" }
