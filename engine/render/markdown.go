package render

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/mops-dev/mops/engine/source"
)

// Markdown size limits. GitHub refuses comment bodies over 65,536
// characters; the writer counts bytes (never fewer than characters) and
// keeps room for closing the open section and the truncation note.
const (
	markdownLimit   = 65536
	markdownReserve = 1024
)

// WriteMarkdown writes a pull-request summary: a heading with the status
// (✅ clean, ⚠️ warnings, ❌ failed), a table of counts, then one
// collapsible <details> per file with a table of its findings (line:col,
// severity, rule, message). Sections of files with deny findings start
// open. Paths get opts.PathPrefix.
//
// Text from findings is escaped so that it renders literally and cannot
// break the table or forge the page: control and bidirectional characters
// show as escapes (source.Escape), long quoted values are cut
// (source.Shorten), HTML special characters become entities, Markdown
// punctuation and | are backslash-escaped, newlines become <br>, and @ is
// followed by a zero-width space so that a RACI team named in a message is
// not mentioned (notified) by the comment.
//
// The body stays under GitHub's 65,536-character comment limit: when the
// findings do not fit, the tables stop and a closing note says how many
// findings were left out.
func WriteMarkdown(w io.Writer, r *source.Report, opts Options) error {
	var b bytes.Buffer
	s := r.Summary
	status := "✅ mops validate: clean"
	switch {
	case s.Deny > 0:
		status = "❌ mops validate: failed"
	case s.Warn > 0:
		status = "⚠️ mops validate: passed with warnings"
	}
	fmt.Fprintf(&b, "### %s\n\n", status)
	b.WriteString("| deny | warn | waived | files | documents |\n")
	b.WriteString("| ---: | ---: | ---: | ---: | ---: |\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d |\n", s.Deny, s.Warn, s.Waived, s.Files, s.Documents)
	if len(r.Findings) == 0 {
		b.WriteString("\nNo findings.\n")
	}

	const closing = "\n</details>\n"
	shown, truncated := 0, false
	for start := 0; start < len(r.Findings) && !truncated; {
		end := start + 1
		for end < len(r.Findings) && r.Findings[end].File == r.Findings[start].File {
			end++
		}
		group := r.Findings[start:end]
		head := markdownSectionHead(group, opts.PathPrefix)
		for i, f := range group {
			row := markdownRow(f)
			need := len(row)
			if i == 0 {
				need += len(head)
			}
			if b.Len()+need+len(closing)+markdownReserve > markdownLimit {
				truncated = true
				break
			}
			if i == 0 {
				b.WriteString(head)
			}
			b.WriteString(row)
			shown++
		}
		if shown > start {
			b.WriteString(closing)
		}
		start = end
	}
	if left := len(r.Findings) - shown; left > 0 {
		fmt.Fprintf(&b, "\n> [!NOTE]\n> %d of %d findings are not shown, to keep this comment under GitHub's 65,536-character limit. "+
			"Run `mops validate` or see the job log for all of them.\n", left, len(r.Findings))
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
}

// markdownSectionHead opens the <details> of one file's findings, up to and
// including the table header.
func markdownSectionHead(group []source.Finding, prefix string) string {
	var deny, warn, waived int
	for _, f := range group {
		switch {
		case f.Waived:
			waived++
		case f.Severity == source.Deny:
			deny++
		default:
			warn++
		}
	}
	var counts []string
	for _, c := range []struct {
		n    int
		what string
	}{{deny, "deny"}, {warn, "warn"}, {waived, "waived"}} {
		if c.n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	open := ""
	if deny > 0 {
		open = " open"
	}
	file := noMention(html.EscapeString(source.Escape(displayFile(repoPath(prefix, group[0].File)))))
	return fmt.Sprintf("\n<details%s>\n<summary><code>%s</code> · %s</summary>\n\n"+
		"| line:col | severity | rule | message |\n| --- | --- | --- | --- |\n",
		open, file, strings.Join(counts, ", "))
}

// markdownRow is one finding's table row.
func markdownRow(f source.Finding) string {
	loc := "—"
	if f.Line > 0 {
		loc = fmt.Sprint(f.Line)
		if f.Column > 0 {
			loc += fmt.Sprintf(":%d", f.Column)
		}
	}
	sev := "❌ deny"
	if f.Severity == source.Warn {
		sev = "⚠️ warn"
	}
	msg := markdownCell(source.Shorten(f.Message))
	if f.Waived {
		sev = "⏭️ waived " + string(f.Severity)
		reason := "waived"
		if f.WaiverReason != "" {
			reason += ": " + markdownCell(source.Shorten(f.WaiverReason))
		}
		msg += "<br><em>" + reason + "</em>"
	}
	return fmt.Sprintf("| %s | %s | <code>%s</code> | %s |\n", loc, sev, markdownCell(f.Rule), msg)
}

// markdownCell makes s safe inside a GitHub Markdown table cell and renders
// it literally; see WriteMarkdown.
func markdownCell(s string) string {
	var b strings.Builder
	s = source.Escape(s)
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\n', '\r':
			b.WriteString("<br>")
		case '\\', '|', '`', '*', '_', '[', ']', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '@':
			b.WriteString("@&#8203;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// noMention keeps GitHub from turning @name into a mention.
func noMention(s string) string {
	return strings.ReplaceAll(s, "@", "@&#8203;")
}
