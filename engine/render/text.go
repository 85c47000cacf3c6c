package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/source"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiCyan   = "\x1b[36m"
)

// WriteText writes findings grouped by file, each with its source line and
// a caret under the column, then a one-line summary.
func WriteText(w io.Writer, r *source.Report, opts Options) error {
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	var b bytes.Buffer
	file := "\x00"
	for _, f := range r.Findings {
		if f.File != file {
			if file != "\x00" {
				b.WriteByte('\n')
			}
			file = f.File
			b.WriteString(paint(ansiBold, terminalSafe(displayFile(f.File))) + "\n")
		}
		sev := paint(ansiRed, "deny")
		if f.Severity == source.Warn {
			sev = paint(ansiYellow, "warn")
		}
		if f.Waived {
			sev = paint(ansiDim, "waived")
		}
		loc := fmt.Sprintf("%d:%d", f.Line, f.Column)
		fmt.Fprintf(&b, "  %-7s %s %s  %s\n", loc, sev, paint(ansiCyan, terminalSafe(f.Rule)), indentLines(source.Display(f.Message), textIndent))
		if f.Waived && f.WaiverReason != "" {
			fmt.Fprintf(&b, "%s%s\n", textIndent, paint(ansiDim, "waiver: "+indentLines(source.Display(f.WaiverReason), textIndent)))
		}
		if line, ok := source.Line(r.Sources[f.File], f.Line); ok {
			line, col := sourceWindow(line, f.Column)
			line = terminalSafe(line)
			gutter := fmt.Sprintf("%6d | ", f.Line)
			b.WriteString(paint(ansiDim, gutter) + line + "\n")
			if col > 0 {
				b.WriteString(paint(ansiDim, strings.Repeat(" ", 7)+"| ") + caretPad(line, col) + paint(ansiRed, "^") + "\n")
			}
		}
	}
	if len(r.Findings) > 0 {
		b.WriteByte('\n')
	}
	s := r.Summary
	status := paint(ansiGreen, "✔ clean")
	switch {
	case s.Deny > 0:
		status = paint(ansiRed, "✖ failed")
	case s.Warn > 0:
		status = paint(ansiYellow, "! passed with warnings")
	}
	fmt.Fprintf(&b, "%s: %d deny, %d warn, %d waived in %d files (%d documents)\n",
		status, s.Deny, s.Warn, s.Waived, s.Files, s.Documents)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write text: %w", err)
	}
	return nil
}

// textIndent starts the lines that continue a finding: its waiver and the
// further lines of a multi-line message.
const textIndent = "          "

// terminalSafe shows what could forge output as escapes (source.Escape),
// so that text taken from governance files cannot move the cursor,
// recolour or clear the reader's terminal, reorder text, or issue a GitHub
// Actions workflow command from the CI log.
func terminalSafe(s string) string { return source.Escape(s) }

// sourceWindowMax is the most characters of a source line shown under a
// finding.
const sourceWindowMax = 160

// sourceWindow cuts a long source line to sourceWindowMax characters
// around column col and returns the column in the cut line: a 4 MB line is
// not echoed whole.
func sourceWindow(line string, col int) (string, int) {
	runes := []rune(line)
	if len(runes) <= sourceWindowMax {
		return line, col
	}
	start := 0
	if col > sourceWindowMax/2 {
		start = min(col-1-sourceWindowMax/4, len(runes)-sourceWindowMax+2)
	}
	end := min(start+sourceWindowMax-1, len(runes))
	out := string(runes[start:end])
	if start > 0 {
		out, col = source.Ellipsis+out, col-start+1
	}
	if end < len(runes) {
		out += source.Ellipsis
	}
	return out, col
}

// indentLines puts indent before every line of s after the first.
func indentLines(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

func displayFile(f string) string {
	if f == "" {
		return "(repository)"
	}
	return f
}

// caretPad returns the whitespace that puts a caret under column col
// (1-based, in characters), keeping tabs so the caret lines up.
func caretPad(line string, col int) string {
	var b strings.Builder
	for i, r := range []rune(line) {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteRune('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
