package planview

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/format"
	"github.com/mops-dev/mops/engine/source"
)

// LogFormatVersion is the formatVersion of mops log's json (the records and
// the verdict alike).
const LogFormatVersion = 1

// LogFormatSet is the formats of the change log as mops log shows it: text
// and json.
func LogFormatSet() format.Set[*changelog.Report, Options] {
	return format.New("log", map[string]format.Writer[*changelog.Report, Options]{
		"text": LogText,
		"json": func(w io.Writer, rep *changelog.Report, o Options) error {
			return writeJSON(w, struct {
				FormatVersion int `json:"formatVersion"`
				*changelog.Report
			}{LogFormatVersion, rep}, o)
		},
	})
}

// VerdictFormatSet is the formats of mops log --verify: text and json.
func VerdictFormatSet() format.Set[*changelog.Verdict, Options] {
	return format.New("log", map[string]format.Writer[*changelog.Verdict, Options]{
		"text": VerdictText,
		"json": func(w io.Writer, v *changelog.Verdict, o Options) error {
			return writeJSON(w, struct {
				FormatVersion int `json:"formatVersion"`
				*changelog.Verdict
			}{LogFormatVersion, v}, o)
		},
	})
}

// LogText writes one line per record.
func LogText(w io.Writer, rep *changelog.Report, _ Options) error {
	var b strings.Builder
	for _, r := range rep.Records {
		b.WriteString(recordLine(r))
		b.WriteByte('\n')
	}
	if len(rep.Records) == 0 {
		b.WriteString("No change log records (none yet, or none match the filters).\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// VerdictText says the chain is intact, or where it first breaks and the
// record there; then the writes without an outcome, and how to resolve
// them.
func VerdictText(w io.Writer, v *changelog.Verdict, _ Options) error {
	path := source.DisplayLine(v.Path) // spec.changelog is the repository's
	var b strings.Builder
	if v.Verified {
		fmt.Fprintf(&b, "Verified: the hash chain of %d record(s) in %s is intact.\n", v.Records, path)
	} else {
		first := v.Problems[0]
		fmt.Fprintf(&b, "TAMPERED: %s breaks at line %d (seq %d): %s\n", path, first.Line, first.Seq, source.DisplayLine(first.Message))
		if v.At != nil {
			fmt.Fprintf(&b, "%s\n", recordLine(*v.At))
		}
		if n := len(v.Problems) - 1; n > 0 {
			fmt.Fprintf(&b, "%d more problem(s) after it (mops log --verify --format json lists them all).\n", n)
		}
	}
	if len(v.Pending) > 0 {
		fmt.Fprintf(&b, "INCOMPLETE: %d write(s) to live have an intent and no outcome: the apply that made them stopped before recording whether they happened (a crash), or is still running:\n", len(v.Pending))
		for _, r := range v.Pending {
			fmt.Fprintf(&b, "%s\n", recordLine(r))
		}
		b.WriteString("Resolve them with mops log --resolve: it reads live and records each as recovered (live holds it) or not-applied (mops plan lists it again); mops apply does the same before its first step.\n")
	}
	if n := len(v.Unfinished); n > 0 && len(v.Pending) == 0 {
		fmt.Fprintf(&b, "%d run(s) have no run-end record (stopped between steps, or still running); every write they made has its outcome. mops log --resolve ends them.\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// recordLine is one record of the change log as text: one line, whatever
// its fields hold. A committed change log is the repository's, so an
// actor, a label or an error cannot start a line of its own (a forged
// "Verified" line, say) or drive the terminal (source.DisplayLine).
func recordLine(r changelog.Record) string {
	one := source.DisplayLine
	var b strings.Builder
	fmt.Fprintf(&b, "%4d  %s  %-9s %-10s %s  %s", r.Seq, r.Time.Format(time.RFC3339), one(string(r.Type)), one(string(r.Result)), one(r.System), one(r.Actor))
	switch {
	case r.Change != nil && (r.Type == changelog.Change || r.Type == changelog.Intent):
		fmt.Fprintf(&b, "  %d. %s %s: %s", r.Change.Seq, one(string(r.Change.Action)), one(r.Change.Target.String()), one(r.Change.Summary))
	case r.Type == changelog.RunStart:
		fmt.Fprintf(&b, "  plan %s", one(planName(r)))
		if len(r.Approvers) > 0 {
			fmt.Fprintf(&b, " approved by %s", one(strings.Join(r.Approvers, ", ")))
		}
		if r.Emergency != "" {
			fmt.Fprintf(&b, " EMERGENCY: %s", one(r.Emergency))
		}
	case r.Type == changelog.Batch && r.Change != nil:
		fmt.Fprintf(&b, "  batch of %s", one(r.Change.Target.String()))
	}
	if r.Note != "" {
		fmt.Fprintf(&b, "  (%s)", one(r.Note))
	}
	if r.Error != "" {
		fmt.Fprintf(&b, "  error: %s", one(r.Error))
	}
	return b.String()
}

// planName names a record's plan by its id; records written before plans
// had ids name it by the start of its hash.
func planName(r changelog.Record) string {
	if r.PlanID != "" {
		return r.PlanID
	}
	return short(strings.TrimPrefix(r.PlanHash, "sha256:"))
}
