package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/format"
	"github.com/mops-dev/mops/engine/policy"
)

// TestOptions tune the text of a policy test report.
type TestOptions struct {
	// Color enables ANSI colour.
	Color bool
	// Verbose lists passing and skipped tests too.
	Verbose bool
}

// TestFormatVersion is the formatVersion of the policy test report's json.
const TestFormatVersion = 1

// TestFormatSet is the formats of a policy test report (`mops test`): text
// and json.
func TestFormatSet() format.Set[policy.TestReport, TestOptions] {
	return format.New("test", map[string]format.Writer[policy.TestReport, TestOptions]{
		"text": WriteTestText,
		"json": func(w io.Writer, rep policy.TestReport, _ TestOptions) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				FormatVersion int `json:"formatVersion"`
				policy.TestReport
			}{TestFormatVersion, rep})
		},
	})
}

// WriteTestText writes each failing test with its place and message (every
// test when verbose), then the totals.
func WriteTestText(w io.Writer, rep policy.TestReport, opts TestOptions) error {
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	for _, r := range rep.Results {
		switch {
		case !r.Pass && !r.Skip:
			fmt.Fprintf(&b, "%s %s.%s (%s:%d)\n", paint(ansiRed, "FAIL"), r.Package, r.Name, r.File, r.Line)
			if r.Message != "" {
				fmt.Fprintf(&b, "     %s\n", r.Message)
			}
			if r.Output != "" {
				fmt.Fprintf(&b, "     output: %s\n", strings.TrimSpace(r.Output))
			}
		case opts.Verbose && r.Skip:
			fmt.Fprintf(&b, "%s %s.%s\n", paint(ansiYellow, "SKIP"), r.Package, r.Name)
		case opts.Verbose:
			fmt.Fprintf(&b, "%s %s.%s (%s)\n", paint(ansiGreen, "PASS"), r.Package, r.Name, r.Duration.Round(1000))
		}
	}
	fmt.Fprintf(&b, "%d passed, %d failed", rep.Passed, rep.Failed)
	if rep.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", rep.Skipped)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
