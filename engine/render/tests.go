package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/format"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/source"
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
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetIndent("", "  ")
			if err := enc.Encode(struct {
				FormatVersion int `json:"formatVersion"`
				policy.TestReport
			}{TestFormatVersion, rep}); err != nil {
				return err
			}
			_, err := w.Write(source.JSONSafe(b.Bytes()))
			return err
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
		// Names, messages and print output come from repository policies.
		name := source.DisplayLine(r.Package + "." + r.Name)
		switch {
		case !r.Pass && !r.Skip:
			fmt.Fprintf(&b, "%s %s (%s:%d)\n", paint(ansiRed, "FAIL"), name, source.DisplayLine(r.File), r.Line)
			if r.Message != "" {
				fmt.Fprintf(&b, "     %s\n", source.Display(r.Message))
			}
			if r.Output != "" {
				fmt.Fprintf(&b, "     output: %s\n", source.Display(strings.TrimSpace(r.Output)))
			}
		case opts.Verbose && r.Skip:
			fmt.Fprintf(&b, "%s %s\n", paint(ansiYellow, "SKIP"), name)
		case opts.Verbose:
			fmt.Fprintf(&b, "%s %s (%s)\n", paint(ansiGreen, "PASS"), name, r.Duration.Round(1000))
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
