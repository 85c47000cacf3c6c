package semdiff

import (
	"bytes"
	"fmt"
	"io"

	"github.com/mops-dev/mops/engine/source"
)

const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[35m"
)

// WriteText writes the report for people: one block per document headed
// by its action marker (+ added, ~ changed, - removed), kind, name and
// file, then one line per change with its marker, its sentence and where
// it is. Compliance-relevant changes carry ⚖.
func WriteText(w io.Writer, r *Report, opts Options) error {
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	colour := map[Action]string{Added: ansiGreen, Changed: ansiYellow, Removed: ansiRed}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\n", paint(ansiBold, fmt.Sprintf("mops diff %s → %s", r.Base.Title(), r.Head.Title())))
	if r.Empty() {
		fmt.Fprintf(&b, "No semantic differences.\n")
		_, err := w.Write(b.Bytes())
		return err
	}
	for _, d := range r.Documents {
		file := d.File
		if d.BaseFile != "" {
			file = d.BaseFile + " → " + d.File
		}
		fmt.Fprintf(&b, "%s %s %s\n", paint(colour[d.Action], d.Action.Symbol()), paint(ansiBold, string(d.Kind)+" "+source.Display(d.Name)), paint(ansiDim, "("+source.Display(file)+")"))
		for _, c := range d.Changes {
			mark := ""
			if c.Compliance {
				mark = paint(ansiMagenta, "⚖ ")
			}
			fmt.Fprintf(&b, "    %s %s%s  %s\n", paint(colour[c.Action], c.Action.Symbol()), mark, source.Display(c.Message), paint(ansiDim, source.Display(location(c))))
		}
		b.WriteByte('\n')
	}
	b.WriteString(summaryLine(r) + "\n")
	if n := r.Summary.Compliance; n > 0 {
		b.WriteString(paint(ansiMagenta, fmt.Sprintf("⚖ %s %s a compliance review.", count(n, "change"), needs(n))) + "\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// location is where a change points: file:line, marked "base" for
// removals, which point into the base revision.
func location(c Change) string {
	loc := fmt.Sprintf("%s:%d", c.File, c.Line)
	if c.Action == Removed {
		return "(base " + loc + ")"
	}
	return "(" + loc + ")"
}
