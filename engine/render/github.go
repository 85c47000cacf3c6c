package render

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mops-dev/mops/engine/source"
)

// WriteGitHub writes one GitHub Actions workflow command per finding, so
// that the runner turns each into an annotation on the pull request:
//
//	::error file=F,line=L,col=C,title=RULE::MESSAGE    deny
//	::warning file=F,line=L,col=C,title=RULE::MESSAGE  warn
//	::notice file=F,line=L,col=C,title=RULE::MESSAGE (waived: REASON)
//
// File paths get opts.PathPrefix so they are relative to the git root, as
// GitHub expects. line and col are left out when unknown (zero), file when
// the finding is about the repository as a whole. Values are escaped as
// every human format escapes them (control and bidirectional characters
// shown as escapes, long quoted values cut), then as the runner's own
// toolkit does, so a message can never end the command early or start a
// new one. A plain summary line follows the commands.
func WriteGitHub(w io.Writer, r *source.Report, opts Options) error {
	var b bytes.Buffer
	for _, f := range r.Findings {
		b.WriteString(githubCommand(f, opts.PathPrefix))
		b.WriteByte('\n')
	}
	b.WriteString(summaryLine(r.Summary))
	b.WriteByte('\n')
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write github annotations: %w", err)
	}
	return nil
}

// githubCommand renders one finding as a workflow command line (without
// the newline).
func githubCommand(f source.Finding, prefix string) string {
	cmd, msg := "error", source.Display(f.Message)
	switch {
	case f.Waived:
		cmd = "notice"
		if f.WaiverReason != "" {
			msg += " (waived: " + source.Display(f.WaiverReason) + ")"
		} else {
			msg += " (waived)"
		}
	case f.Severity == source.Warn:
		cmd = "warning"
	}
	var props []string
	if file := repoPath(prefix, f.File); file != "" {
		props = append(props, "file="+escapeGitHubProperty(terminalSafe(file)))
		if f.Line > 0 {
			props = append(props, "line="+strconv.Itoa(f.Line))
			if f.Column > 0 {
				props = append(props, "col="+strconv.Itoa(f.Column))
			}
		}
	}
	props = append(props, "title="+escapeGitHubProperty(terminalSafe(f.Rule)))
	return "::" + cmd + " " + strings.Join(props, ",") + "::" + escapeGitHubData(msg)
}

// escapeGitHubData escapes a workflow command's message the way
// @actions/core does (escapeData): %, CR and LF.
func escapeGitHubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeGitHubProperty escapes a workflow command's property value the way
// @actions/core does (escapeProperty): as data, plus ':' and ','.
func escapeGitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// summaryLine is the one-line outcome every CI format ends with or carries.
func summaryLine(s source.Summary) string {
	status := "clean"
	switch {
	case s.Deny > 0:
		status = "failed"
	case s.Warn > 0:
		status = "passed with warnings"
	}
	return fmt.Sprintf("mops validate %s: %d deny, %d warn, %d waived in %d files (%d documents)",
		status, s.Deny, s.Warn, s.Waived, s.Files, s.Documents)
}
