package planview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/drift"
	"github.com/mops-dev/mops/engine/format"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/source"
)

// DriftFormatSet is the formats of a drift report: text, markdown (a GitHub
// issue body, for a scheduled drift job) and json (stable).
func DriftFormatSet() format.Set[*drift.Report, Options] {
	return format.New("drift", map[string]format.Writer[*drift.Report, Options]{
		"text":     DriftText,
		"markdown": DriftMarkdown,
		"json": func(w io.Writer, r *drift.Report, o Options) error {
			return writeJSON(w, struct {
				FormatVersion int `json:"formatVersion"`
				*drift.Report
			}{DriftFormatVersion, r}, o)
		},
	})
}

// DriftFormatVersion is the formatVersion of the drift report's json.
const DriftFormatVersion = 1

// writeJSON writes v as indented JSON, leaving <, > and & as they are.
// writeJSON writes v as indented JSON. Values are exact; what could forge
// a terminal when it is printed is written as \u escapes (source.JSONSafe).
func writeJSON(w io.Writer, v any, _ Options) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(source.JSONSafe(b.Bytes()))
	return err
}

// marker is the one-character sign of an item in text and markdown: + live
// has more, - live has less, ~ live differs, ! plan cannot resolve it.
func marker(kind string) string {
	switch kind {
	case drift.OptionUndeclared, drift.DeprecatedActive:
		return "+"
	case drift.PropertyMissing, drift.OptionMissing, drift.SubscriptionMissing:
		return "-"
	case drift.ReadOnly, drift.Blocked:
		return "!"
	case drift.DeprecatedHeld:
		return ">"
	}
	return "~"
}

// itemGroup is the items of one live property.
type itemGroup struct {
	target live.Binding
	source plan.Source
	items  []drift.Item
}

// byProperty groups items (sorted by target) per property; items without
// an object (subscription types) come as their own group.
func byProperty(items []drift.Item) []itemGroup {
	var out []itemGroup
	for _, it := range items {
		if n := len(out); n > 0 && out[n-1].target == it.Target {
			out[n-1].items = append(out[n-1].items, it)
			continue
		}
		out = append(out, itemGroup{target: it.Target, source: it.Source, items: []drift.Item{it}})
	}
	return out
}

func (g itemGroup) title() string {
	if g.target.Object == "" {
		return "subscription types"
	}
	return g.target.Object + "." + g.target.Property
}

// DriftText writes a drift report for people: per system, the
// differences grouped by live property, then parity and a verdict.
func DriftText(w io.Writer, r *drift.Report, opts Options) error {
	color := opts.Color
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + reset
	}
	var b bytes.Buffer
	names := make([]string, 0, len(r.Systems))
	for _, s := range r.Systems {
		names = append(names, s.System)
	}
	switch {
	case r.AllSystems:
		fmt.Fprintf(&b, "%s: every bound system (%s)", paint(bold, "mops drift"), strings.Join(names, ", "))
	case len(names) == 1:
		fmt.Fprintf(&b, "%s: system %s", paint(bold, "mops drift"), names[0])
	default:
		fmt.Fprintf(&b, "%s: systems %s", paint(bold, "mops drift"), strings.Join(names, ", "))
	}
	if r.Commit != "" {
		fmt.Fprintf(&b, ", commit %s", short(r.Commit))
		if r.Dirty {
			b.WriteString(" (uncommitted changes)")
		}
	}
	b.WriteString("\n\n")
	differences := 0
	for _, s := range r.Systems {
		switch s.Status {
		case drift.StatusSkipped:
			fmt.Fprintf(&b, "%s: %s %s\n\n", paint(bold, s.System), paint(yellow, "skipped:"), source.Display(s.Reason))
			continue
		case drift.StatusFailed:
			fmt.Fprintf(&b, "%s: %s %s\n\n", paint(bold, s.System), paint(red, "failed:"), source.Display(s.Reason))
			continue
		}
		differences += len(s.Items)
		if len(s.Items) == 0 && len(s.Errors) == 0 {
			fmt.Fprintf(&b, "%s: %s\n\n", paint(bold, s.System), paint(green, "no drift"))
			continue
		}
		fmt.Fprintf(&b, "%s: %d difference(s)\n", paint(bold, s.System), len(s.Items))
		for _, g := range byProperty(s.Items) {
			fmt.Fprintf(&b, "  %s  %s\n", paint(bold, source.Display(g.title())), paint(dim, source.Display(sourceText(g.source))))
			for _, it := range g.items {
				fmt.Fprintf(&b, "    %s %s\n", paint(yellow, marker(it.Kind)), source.Display(it.Message))
				if it.Kind == drift.OptionOrder {
					fmt.Fprintf(&b, "        live:       %s\n        repository: %s\n", source.Display(strings.Join(it.LiveOrder, ", ")), source.Display(strings.Join(it.RepositoryOrder, ", ")))
				}
			}
		}
		for _, e := range s.Errors {
			fmt.Fprintf(&b, "  %s %s\n", paint(red, "✖ error"), source.Display(e))
		}
		b.WriteByte('\n')
	}
	if len(r.Parity) > 0 {
		b.WriteString(paint(bold, "Parity between live properties of one document") + "\n")
		for _, p := range r.Parity {
			fmt.Fprintf(&b, "  %s %s\n", paint(yellow, "≠"), source.Display(p.Message))
		}
		b.WriteByte('\n')
	}
	switch {
	case r.Failed():
		fmt.Fprintf(&b, "%s: some systems or bindings could not be compared (see above).\n", paint(red, "Drift check failed"))
	case r.Drift:
		fmt.Fprintf(&b, "%s %d difference(s) from the repository", paint(bold, "Drift:"), differences)
		if r.AllSystems || len(r.Parity) > 0 {
			fmt.Fprintf(&b, ", %d between live systems", len(r.Parity))
		}
		b.WriteString(". mops plan shows the changes that restore the repository's state; or change the repository to accept what live has.\n")
	default:
		fmt.Fprintf(&b, "%s Live matches the repository.\n", paint(green, "No drift."))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// DriftMarkdown writes the report as a GitHub issue body: a status table,
// then the differences per system and property, within GitHub's size
// limit.
func DriftMarkdown(w io.Writer, r *drift.Report, _ Options) error {
	var b bytes.Buffer
	status := "✅ no drift"
	switch {
	case r.Failed():
		status = "❌ check failed"
	case r.Drift:
		status = "⚠️ live differs from the repository"
	}
	fmt.Fprintf(&b, "### mops drift: %s\n\n", status)
	fmt.Fprintf(&b, "Checked %s", r.CheckedAt.Format("2006-01-02 15:04 UTC"))
	if r.Commit != "" {
		fmt.Fprintf(&b, " against commit `%s`", short(r.Commit))
	}
	b.WriteString(".\n\n| system | status | differences |\n|---|---|---:|\n")
	for _, s := range r.Systems {
		st, n := "✅ no drift", fmt.Sprint(len(s.Items))
		switch {
		case s.Status == drift.StatusSkipped:
			st, n = "⏭️ skipped: "+escape(s.Reason), "–"
		case s.Status == drift.StatusFailed:
			st, n = "❌ failed: "+escape(s.Reason), "–"
		case len(s.Errors) > 0:
			st = "❌ cannot compare every binding"
		case len(s.Items) > 0:
			st = "⚠️ drift"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", s.System, st, n)
	}
	if r.AllSystems || len(r.Parity) > 0 {
		fmt.Fprintf(&b, "| parity | %s | %d |\n", map[bool]string{true: "⚠️ bound properties differ", false: "✅ bound properties agree"}[len(r.Parity) > 0], len(r.Parity))
	}
	b.WriteByte('\n')

	const room = 600
	var lines []string
	for _, s := range r.Systems {
		if s.Status != drift.StatusChecked || len(s.Items)+len(s.Errors) == 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("#### `%s`", s.System), "")
		for _, e := range s.Errors {
			lines = append(lines, "- ❌ "+escape(e))
		}
		if len(s.Errors) > 0 {
			lines = append(lines, "")
		}
		for _, g := range byProperty(s.Items) {
			head := fmt.Sprintf("**`%s`**", g.title())
			if src := sourceText(g.source); src != "" {
				head += " — " + escape(src)
			}
			lines = append(lines, head, "")
			for _, it := range g.items {
				lines = append(lines, fmt.Sprintf("- `%s` %s", marker(it.Kind), escape(it.Message)))
			}
			lines = append(lines, "")
		}
	}
	if len(r.Parity) > 0 {
		lines = append(lines, "#### Parity between live properties of one document", "")
		for _, p := range r.Parity {
			lines = append(lines, "- `≠` "+escape(p.Message))
		}
		lines = append(lines, "")
	}
	left := 0
	for i, l := range lines {
		if b.Len()+len(l)+room > MaxComment {
			left = len(lines) - i
			break
		}
		b.WriteString(l + "\n")
	}
	if left > 0 {
		fmt.Fprintf(&b, "\n_%d more line(s) not shown to stay within GitHub's size limit; run `mops drift` locally or see the job log._\n", left)
	}
	if r.Drift {
		b.WriteString("<sub>`+` live has more · `-` live lacks · `~` live differs · `>` records still hold it · `!` plan cannot resolve it. Run `mops plan` to see the changes that restore the repository's state, or change the repository to accept what live has.</sub>\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}
