package planview

import (
	"fmt"
	"io"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/plan"
)

// ApplyProgress returns what prints an apply's steps to w as they finish:
// first, once the first step is done (so after every refusal check), a
// header naming the plan; then one line per step.
func ApplyProgress(w io.Writer, dryRun bool) func(*plan.Plan, apply.StepResult) {
	started := false
	return func(p *plan.Plan, s apply.StepResult) {
		if !started {
			started = true
			verb := "Applying"
			if dryRun {
				verb = "Dry run of"
			}
			fmt.Fprintf(w, "%s plan %s to %s (%d change(s))\n", verb, p.ID, p.SystemList(), len(p.Changes))
		}
		line := fmt.Sprintf("  %d. %s %s %s: %s", s.Change.Seq, s.Change.Action.Symbol(), s.Change.Action, s.Change.Target, s.Result)
		if s.Records > 0 {
			line += fmt.Sprintf(" (%d record(s))", s.Records)
		}
		if s.Note != "" {
			line += ": " + s.Note
		}
		if s.Err != nil {
			line += ": " + s.Err.Error()
		}
		fmt.Fprintln(w, line)
	}
}
