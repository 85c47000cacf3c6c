package semdiff

import (
	"fmt"
	"io"

	"github.com/mops-dev/mops/engine/format"
	"github.com/mops-dev/mops/engine/source"
)

// Format names an output format of `mops diff`.
type Format string

// The formats of `mops diff`.
const (
	Text     Format = "text"
	JSON     Format = "json"
	Markdown Format = "markdown"
)

// GitHubCommentLimit is the most characters a GitHub comment may hold.
const GitHubCommentLimit = 65536

// Options tune rendering.
type Options struct {
	// Color enables ANSI colour in text output.
	Color bool
	// MaxLen caps the markdown's length in bytes (which bounds its
	// characters); 0 means GitHubCommentLimit. Longer diffs are summarised.
	MaxLen int
}

// Writer renders a report in one format.
type Writer = format.Writer[*Report, Options]

// FormatSet is the formats of the diff report.
func FormatSet() format.Set[*Report, Options] {
	return format.New("diff", map[string]Writer{string(Text): WriteText, string(JSON): WriteJSON, string(Markdown): WriteMarkdown})
}

// Formats lists the supported formats, for flag help.
func Formats() []string { return FormatSet().Names() }

// Write renders r in format f.
func Write(w io.Writer, f Format, r *Report, opts Options) error {
	return FormatSet().Write(w, string(f), r, opts)
}

// summaryLine counts documents and changes in one sentence.
func summaryLine(r *Report) string {
	s := r.Summary
	var docs []string
	for _, p := range []struct {
		n    int
		verb string
	}{{s.Changed, "changed"}, {s.Added, "added"}, {s.Removed, "removed"}} {
		if p.n > 0 {
			docs = append(docs, fmt.Sprintf("%d %s", p.n, p.verb))
		}
	}
	total := s.Changed + s.Added + s.Removed
	verb := "differ"
	if total == 1 {
		verb = "differs"
	}
	line := fmt.Sprintf("%s %s: %s; %s", count(total, "document"), verb, joinPlain(docs), count(s.Changes, "change"))
	if s.Compliance > 0 {
		line += fmt.Sprintf(", %d compliance-relevant", s.Compliance)
	}
	return line + "."
}

// needs agrees the verb with a count: "1 change needs", "2 changes need".
func needs(n int) string {
	if n == 1 {
		return "needs"
	}
	return "need"
}

// LoadProblems are the load problems of one side of a diff: the documents
// they concern are left out of it.
type LoadProblems struct {
	// Side is "base" or "head"; Title names its revision.
	Side, Title string
	Findings    []source.Finding
}

// maxLoadWarnings bounds how many load problems of one side are printed.
const maxLoadWarnings = 10

// WriteLoadProblems says which documents of one side a diff leaves out.
func WriteLoadProblems(w io.Writer, p LoadProblems) {
	problems := "1 load problem"
	if len(p.Findings) > 1 {
		problems = fmt.Sprintf("%d load problems", len(p.Findings))
	}
	fmt.Fprintf(w, "mops: warning: %s %s has %s; documents that could not be read are left out of the diff:\n", p.Side, p.Title, problems)
	for i, f := range p.Findings {
		if i == maxLoadWarnings {
			fmt.Fprintf(w, "  …and %d more (run mops validate on that revision)\n", len(p.Findings)-i)
			break
		}
		pos := f.File
		if f.Line > 0 {
			pos = fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
		}
		fmt.Fprintf(w, "  %s: %s\n", pos, f.Message)
	}
}
