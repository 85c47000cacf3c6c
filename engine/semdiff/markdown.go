package semdiff

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/source"
)

// MarkdownMarker is an HTML comment that starts every markdown report, so
// a CI job can find and update its earlier pull-request comment.
const MarkdownMarker = "<!-- mops-diff -->"

// WriteMarkdown writes the report as a pull-request comment: a heading,
// the compliance-relevant changes called out first, a table of kinds by
// documents added, changed and removed, then one collapsible section per
// document with its changes and, for a lifecycle model, a Mermaid diagram
// of its stages and transitions. When that would be longer than
// opts.MaxLen (GitHub's comment limit by default), it writes a summary
// instead: counts per document, cut to fit.
func WriteMarkdown(w io.Writer, r *Report, opts Options) error {
	limit := opts.MaxLen
	if limit <= 0 {
		limit = GitHubCommentLimit
	}
	var b bytes.Buffer
	writeMarkdownFull(&b, r)
	if b.Len() > limit {
		full := b.Len()
		b.Reset()
		writeMarkdownSummary(&b, r, full, limit)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeMarkdownHeading(b *bytes.Buffer, r *Report) {
	fmt.Fprintf(b, "%s\n### mops diff: %s → %s\n\n", MarkdownMarker, mdSide(r.Base), mdSide(r.Head))
	if r.Empty() {
		b.WriteString("No semantic differences.\n")
		return
	}
	b.WriteString(summaryLine(r) + "\n\n")
}

func writeMarkdownFull(b *bytes.Buffer, r *Report) {
	writeMarkdownHeading(b, r)
	if r.Empty() {
		return
	}
	if cs := r.ComplianceChanges(); len(cs) > 0 {
		writeComplianceHead(b, len(cs))
		for _, c := range cs {
			c.Compliance = false // the callout's heading says so
			b.WriteString("> " + mdChange(c) + "\n")
		}
		b.WriteString("\n")
	}
	writeKindTable(b, r)
	for _, d := range r.Documents {
		writeDocument(b, d)
	}
}

func writeComplianceHead(b *bytes.Buffer, n int) {
	fmt.Fprintf(b, "> [!IMPORTANT]\n> ⚖️ **%s %s a compliance review** (privacy and consent rules):\n>\n", count(n, "change"), needs(n))
}

func writeKindTable(b *bytes.Buffer, r *Report) {
	b.WriteString("| Kind | Added | Changed | Removed |\n| --- | ---: | ---: | ---: |\n")
	for _, k := range r.Summary.Kinds {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", k.Kind, cell(k.Added), cell(k.Changed), cell(k.Removed))
	}
	s := r.Summary
	fmt.Fprintf(b, "| **Total** | **%d** | **%d** | **%d** |\n\n", s.Added, s.Changed, s.Removed)
}

func cell(n int) string {
	if n == 0 {
		return "·"
	}
	return fmt.Sprint(n)
}

func writeDocument(b *bytes.Buffer, d Document) {
	fmt.Fprintf(b, "<details>\n<summary>%s</summary>\n\n", documentSummary(d))
	if d.BaseFile != "" {
		fmt.Fprintf(b, "Moved from `%s` to `%s`.\n\n", source.Display(d.BaseFile), source.Display(d.File))
	}
	for _, c := range d.Changes {
		b.WriteString(mdChange(c) + "\n")
	}
	if d.Lifecycle != nil {
		b.WriteString("\n")
		writeMermaid(b, d.Lifecycle)
	}
	b.WriteString("\n</details>\n\n")
}

// documentSummary is the HTML of a document's <summary> line.
func documentSummary(d Document) string {
	s := fmt.Sprintf("%s <b>%s</b> <code>%s</code> %s · %s · <code>%s</code>",
		mdMarker(d.Action), d.Kind, html.EscapeString(source.Display(d.Name)), d.Action, count(len(d.Changes), "change"), html.EscapeString(source.Display(d.File)))
	if d.Compliance() {
		s += " · ⚖️ compliance"
	}
	return s
}

// mdChange is one change as a list item with where it is; ⚖️ marks a
// compliance-relevant change.
func mdChange(c Change) string {
	line := "- " + mdMarker(c.Action) + " "
	if c.Compliance {
		line += "⚖️ "
	}
	msg := escapeMarkdown(c.Message)
	if c.Direction == Loosened {
		msg = strings.Replace(msg, "(loosened)", "(**loosened**)", 1)
	}
	line += msg
	loc := fmt.Sprintf("%s:%d", c.File, c.Line)
	if c.Action == Removed {
		loc = "base " + loc
	}
	return line + " <sub>" + html.EscapeString(source.Display(loc)) + "</sub>"
}

func mdMarker(a Action) string {
	switch a {
	case Added:
		return "➕"
	case Removed:
		return "➖"
	default:
		return "✏️"
	}
}

// mdSide names a side in a heading: `main` (1a2b3c4), or working tree.
func mdSide(s Side) string {
	t := s.Title()
	if s.Ref == "" && s.Commit == "" {
		return t
	}
	ref, rest, found := strings.Cut(t, " (")
	if !found {
		return "`" + t + "`"
	}
	return "`" + ref + "` (" + rest
}

// escapeMarkdown keeps user text from being read as markdown or HTML, or
// forging the page (source.Display).
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range source.Display(s) {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '#':
			b.WriteByte('\\')
		case '\n':
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writeMarkdownSummary writes the short form of a report too long for one
// comment: the heading, a note, the compliance changes and one line per
// document with its counts, stopping before limit bytes.
func writeMarkdownSummary(b *bytes.Buffer, r *Report, full, limit int) {
	const reserve = 200 // room for the closing "and N more" line
	writeMarkdownHeading(b, r)
	fmt.Fprintf(b, "> [!NOTE]\n> The full diff (%d bytes) is over the comment limit of %d characters, so each document is summarised. Run `mops diff --base %s` to see every change.\n\n",
		full, limit, r.Base.Ref)
	if cs := r.ComplianceChanges(); len(cs) > 0 {
		writeComplianceHead(b, len(cs))
		for i, c := range cs {
			c.Compliance = false
			line := "> " + mdChange(c) + "\n"
			if b.Len()+len(line) > limit/2 {
				fmt.Fprintf(b, "> - …and %d more\n", len(cs)-i)
				break
			}
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	writeKindTable(b, r)
	for i, d := range r.Documents {
		line := fmt.Sprintf("- %s **%s** `%s` %s: %s%s\n", mdMarker(d.Action), d.Kind, d.Name, d.Action, changeCounts(d), complianceTag(d))
		if b.Len()+len(line)+reserve > limit {
			more := len(r.Documents) - i
			noun := "documents"
			if more == 1 {
				noun = "document"
			}
			fmt.Fprintf(b, "- …and %d more %s\n", more, noun)
			return
		}
		b.WriteString(line)
	}
}

// changeCounts sums a document's changes by action: "5 changes (2 added,
// 3 changed)".
func changeCounts(d Document) string {
	n := map[Action]int{}
	for _, c := range d.Changes {
		n[c.Action]++
	}
	var parts []string
	for _, a := range []Action{Added, Changed, Removed} {
		if n[a] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[a], a))
		}
	}
	return fmt.Sprintf("%s (%s)", count(len(d.Changes), "change"), strings.Join(parts, ", "))
}

func complianceTag(d Document) string {
	if d.Compliance() {
		return " ⚖️"
	}
	return ""
}
