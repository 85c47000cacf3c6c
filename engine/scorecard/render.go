package scorecard

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/mops-dev/mops/engine/format"
)

// Formats lists the output formats of Write.
func Formats() []string { return FormatSet().Names() }

// FormatSet is the scorecard's formats: text, json, markdown and html.
func FormatSet() format.Set[*Report, struct{}] {
	return format.New("scorecard", map[string]format.Writer[*Report, struct{}]{
		"text":     func(w io.Writer, r *Report, _ struct{}) error { return writeText(w, r) },
		"json":     func(w io.Writer, r *Report, _ struct{}) error { return writeJSON(w, r) },
		"markdown": func(w io.Writer, r *Report, _ struct{}) error { return writeMarkdown(w, r) },
		"html":     func(w io.Writer, r *Report, _ struct{}) error { return writeHTML(w, r) },
	})
}

// Write renders r in the format named f to w.
func Write(w io.Writer, f string, r *Report) error {
	return FormatSet().Write(w, f, r, struct{}{})
}

func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// column is one figure of the weekly table: its heading and how a week
// shows it.
type column struct {
	head string
	cell func(Week) string
}

func columns(r *Report) []column {
	cols := []column{
		{"cycle median", func(w Week) string { return days(w.CycleTime.Median) }},
		{"cycle p90", func(w Week) string { return days(w.CycleTime.P90) }},
		{"on-time", func(w Week) string { return share(w.OnTime) }},
		{"first-time pass", func(w Week) string { return share(w.FirstTimePass) }},
	}
	for i, s := range r.SLAs {
		if !s.Measured {
			continue
		}
		cols = append(cols, column{"SLA " + s.Name, func(w Week) string { return share(w.SLAs[i]) }})
	}
	cols = append(cols, column{"changes", func(w Week) string { return strconv.Itoa(w.Changes) }})
	return cols
}

func days(v *float64) string {
	if v == nil {
		return "–"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64) + "d"
}

func share(s Share) string {
	if s.Percent == nil {
		return "–"
	}
	return fmt.Sprintf("%s%% (%d/%d)", strconv.FormatFloat(*s.Percent, 'f', -1, 64), s.Met, s.Total)
}

func percent(v *float64) string {
	if v == nil {
		return "–"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64) + "%"
}

func writeText(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "MOps scorecard, weeks of %s to %s (%d commits, head %s)\n\n", r.Since, r.Until, r.Commits, short(r.Head))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	cols := columns(r)
	heads := []string{"week"}
	for _, c := range cols {
		heads = append(heads, c.head)
	}
	fmt.Fprintln(tw, strings.Join(heads, "\t"))
	for _, wk := range r.Weeks {
		cells := []string{wk.Start}
		for _, c := range cols {
			cells = append(cells, c.cell(wk))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeTextTail(w, r)
	return nil
}

func writeTextTail(w io.Writer, r *Report) {
	for _, s := range r.SLAs {
		if !s.Measured {
			fmt.Fprintf(w, "\nSLA %s (%s, %s) not measured: %s", s.Name, s.Type, s.Target, s.Why)
		}
	}
	if r.Live != nil {
		fmt.Fprintf(w, "\n\nData completeness (%s), drift: %d\n", r.Live.MeasuredAt.Format("2006-01-02 15:04 UTC"), r.Live.Drift)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "property\ttaxonomy\trecords\tactive\tdeprecated\tundeclared\tempty")
		for _, p := range r.Live.Properties {
			fmt.Fprintf(tw, "%s %s.%s\t%s\t%d\t%s\t%s\t%s\t%s\n", p.System, p.Object, p.Property, p.Taxonomy, p.Records,
				percent(p.ActivePct), percent(p.DeprecatedPct), percent(p.UndeclaredPct), percent(p.EmptyPct))
		}
		_ = tw.Flush()
	} else {
		fmt.Fprintln(w)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	fmt.Fprintln(w, "\nHow each figure is computed: docs/scorecard.md; the campaigns behind each: --format json.")
}

func writeMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "## MOps scorecard: weeks of %s to %s\n\n", r.Since, r.Until)
	fmt.Fprintf(w, "From %d commits of the governance repository (head `%s`).\n\n", r.Commits, short(r.Head))
	cols := columns(r)
	fmt.Fprint(w, "| week |")
	for _, c := range cols {
		fmt.Fprintf(w, " %s |", mdText(c.head))
	}
	fmt.Fprint(w, "\n| --- |")
	for range cols {
		fmt.Fprint(w, " ---: |")
	}
	fmt.Fprintln(w)
	for _, wk := range r.Weeks {
		fmt.Fprintf(w, "| %s |", wk.Start)
		for _, c := range cols {
			fmt.Fprintf(w, " %s |", c.cell(wk))
		}
		fmt.Fprintln(w)
	}
	if last := lastWeek(r); last != nil {
		misses := missed(*last)
		if len(misses) > 0 {
			fmt.Fprintf(w, "\n<details><summary>Campaigns that missed a bar in the week of %s</summary>\n\n", last.Start)
			for _, m := range misses {
				fmt.Fprintf(w, "- %s\n", m)
			}
			fmt.Fprintln(w, "\n</details>")
		}
	}
	for _, s := range r.SLAs {
		if !s.Measured {
			fmt.Fprintf(w, "\nSLA %s (%s, %s) is not measured: %s.\n", mdCode(s.Name), mdText(s.Type), mdText(s.Target), s.Why)
		}
	}
	if r.Live != nil {
		fmt.Fprintf(w, "\n### Data completeness\n\nMeasured %s; %d option(s) drift from the repository.\n\n", r.Live.MeasuredAt.Format("2006-01-02 15:04 UTC"), r.Live.Drift)
		fmt.Fprintln(w, "| property | taxonomy | records | active | deprecated | undeclared | empty |")
		fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: | ---: |")
		for _, p := range r.Live.Properties {
			fmt.Fprintf(w, "| %s %s | %s | %d | %s | %s | %s | %s |\n", mdText(p.System), mdCode(p.Object+"."+p.Property), mdText(p.Taxonomy), p.Records,
				percent(p.ActivePct), percent(p.DeprecatedPct), percent(p.UndeclaredPct), percent(p.EmptyPct))
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\n> %s\n", mdText(n))
	}
	fmt.Fprintln(w, "\n<sub>How each figure is computed: docs/scorecard.md in the mops repository. `mops scorecard --format json` lists the campaigns behind every number.</sub>")
	return nil
}

func lastWeek(r *Report) *Week {
	if len(r.Weeks) == 0 {
		return nil
	}
	return &r.Weeks[len(r.Weeks)-1]
}

// missed lists, for one week, the campaigns that missed a bar.
func missed(w Week) []string {
	var out []string
	add := func(what string, s Share) {
		for _, c := range s.Campaigns {
			if c.Met != nil && !*c.Met {
				out = append(out, fmt.Sprintf("%s: %s (%s): %s", what, mdCode(c.Name), mdCode(c.File), mdText(c.Detail)))
			}
		}
	}
	add("on-time", w.OnTime)
	add("first-time pass", w.FirstTimePass)
	for _, s := range w.SLAs {
		add("SLA", s)
	}
	return out
}

// mdText makes repository text (names, paths, messages: a pull request
// author controls them) safe inside a Markdown table cell or list item:
// control characters become spaces, and the characters that would open
// markup, a link, HTML or end a cell are escaped.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>|#!~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode shows s as inline code; backticks and control characters in it
// become spaces, and a pipe is escaped, so it can neither leave the code
// span nor the table cell.
func mdCode(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '`' || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	return "`" + strings.ReplaceAll(s, "|", "\\|") + "`"
}
