package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/live"
)

// Formats lists the formats Write renders.
func Formats() []string { return []string{"text", "json"} }

// Write renders r in format.
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "text":
		return writeText(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats(), ", "))
}

// statusWord is how the text report marks a check: what fails a run
// stands out.
var statusWord = map[live.CheckStatus]string{live.CheckOK: "ok", live.CheckMissing: "MISSING", live.CheckWarn: "warn"}

func writeText(w io.Writer, r *Report) error {
	var b strings.Builder
	skipped, problems := 0, r.Problems()
	for _, s := range r.Systems {
		head := fmt.Sprintf("%s (%s)", s.label(), s.Type)
		switch s.Status {
		case Skipped:
			skipped++
			fmt.Fprintf(&b, "%s: skipped: %s\n", head, s.Reason)
			continue
		case Failed:
			fmt.Fprintf(&b, "%s: FAILED: %s\n", head, s.Reason)
			continue
		}
		verdict := "ready"
		if n := s.Problems(); n > 0 {
			verdict = fmt.Sprintf("%d missing", n)
		}
		fmt.Fprintf(&b, "%s: %s\n", head, verdict)
		for _, c := range s.Checks {
			fmt.Fprintf(&b, "  %-8s %-10s %s", statusWord[c.Status], c.Kind, c.Name)
			if c.Detail != "" {
				b.WriteString(": " + c.Detail)
			}
			b.WriteString("\n")
			if c.Fix != "" && c.Status != live.CheckOK {
				fmt.Fprintf(&b, "  %-8s %-10s fix: %s\n", "", "", c.Fix)
			}
		}
	}
	switch {
	case problems > 0:
		fmt.Fprintf(&b, "\n%d problem(s) to fix before mops can plan and apply everywhere.\n", problems)
	case !r.OK():
		b.WriteString("\nNo system could be checked: set the variables mops.yaml names, or name a system with --system.\n")
	case skipped > 0:
		fmt.Fprintf(&b, "\nEvery system checked is ready; %d skipped.\n", skipped)
	default:
		b.WriteString("\nEvery system is ready.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
