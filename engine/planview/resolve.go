package planview

import (
	"fmt"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/format"
	"github.com/mops-dev/mops/engine/source"
)

// ResolveFormatSet is the formats of mops log --resolve: text and json.
func ResolveFormatSet() format.Set[[]apply.Resolution, Options] {
	return format.New("log", map[string]format.Writer[[]apply.Resolution, Options]{
		"text": ResolveText,
		"json": func(w io.Writer, rs []apply.Resolution, o Options) error {
			type resolution struct {
				Record int    `json:"record"`
				PlanID string `json:"planId"`
				Step   string `json:"step"`
				Result string `json:"result"`
				Detail string `json:"detail"`
			}
			out := []resolution{}
			for _, r := range rs {
				out = append(out, resolution{r.Record.Seq, r.Record.PlanID, describeStep(r), r.Result, r.Detail})
			}
			return writeJSON(w, struct {
				FormatVersion int          `json:"formatVersion"`
				Resolved      []resolution `json:"resolved"`
			}{LogFormatVersion, out}, o)
		},
	})
}

// ResolveText says what was recorded for each write a stopped apply left
// without an outcome, and each run it left without an end.
func ResolveText(w io.Writer, rs []apply.Resolution, _ Options) error {
	if len(rs) == 0 {
		_, err := io.WriteString(w, "Nothing to resolve: every write to live in the change log has its outcome, and every run its end.\n")
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Recorded what %d record(s) a stopped apply left open came to:\n", len(rs))
	for _, r := range rs {
		b.WriteString(ResolutionLine(r) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ResolutionLine is one resolved record: "  record 14, plan 3f2a9c1b0d4e,
// step 3 (...): recovered (no record holds "trade_show" any more)".
func ResolutionLine(r apply.Resolution) string {
	// The record comes from the change log, which is the repository's:
	// one line, inert (see recordLine).
	return "  " + source.DisplayLine(fmt.Sprintf("record %d, plan %s, %s: %s (%s)", r.Record.Seq, planName(r.Record), describeStep(r), r.Result, r.Detail))
}

// describeStep names what a resolution is about: a step, or the run.
func describeStep(r apply.Resolution) string {
	if r.Record.Change == nil {
		return "the run"
	}
	return r.Record.Change.Describe()
}
