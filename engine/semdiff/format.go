package semdiff

import (
	"fmt"
	"io"

	"github.com/mops-dev/mops/engine/format"
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
