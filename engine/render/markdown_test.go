package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mops-dev/mops/engine/source"
)

func TestMarkdownStatus(t *testing.T) {
	cases := map[string]struct {
		findings []source.Finding
		want     string
	}{
		"clean":    {nil, "### ✅ mops validate: clean\n"},
		"warnings": {[]source.Finding{{Rule: "r", Severity: source.Warn, Message: "m", File: "a.yaml"}}, "### ⚠️ mops validate: passed with warnings\n"},
		"failed":   {[]source.Finding{{Rule: "r", Severity: source.Deny, Message: "m", File: "a.yaml"}}, "### ❌ mops validate: failed\n"},
		"waived only": {[]source.Finding{{Rule: "r", Severity: source.Deny, Message: "m", File: "a.yaml", Waived: true}},
			"### ✅ mops validate: clean\n"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := &source.Report{Findings: c.findings}
			r.Summary.Count(c.findings)
			out := string(render(t, Markdown, r, Options{}))
			if !strings.HasPrefix(out, c.want) {
				t.Errorf("output starts %q, want %q", out[:min(len(out), 60)], c.want)
			}
		})
	}
}

func TestMarkdownCellEscaping(t *testing.T) {
	// A | after an even number of backslashes splits a GFM table cell.
	unescapedPipe := regexp.MustCompile(`(^|[^\\])(\\\\)*\|`)
	msg := "a|b\\|c\r\nd<script>alert(1)</script> & `code` *x* _y_ [l](u) ~z~ @acme/team\\"
	cell := markdownCell(msg)
	for _, bad := range []string{"\n", "\r", "<script", "@acme"} {
		if strings.Contains(cell, bad) {
			t.Errorf("cell %q contains %q", cell, bad)
		}
	}
	for _, want := range []string{"\\`code\\`", "\\*x\\*", "\\_y\\_", "\\[l\\]", "&amp;"} {
		if !strings.Contains(cell, want) {
			t.Errorf("cell %q lacks %q", cell, want)
		}
	}
	if unescapedPipe.MatchString(cell) {
		t.Errorf("cell %q has an unescaped |", cell)
	}
	row := markdownRow(source.Finding{Rule: "a|b", Severity: source.Deny, Message: msg, Line: 1, Column: 2,
		Waived: true, WaiverReason: "x|y\nz"})
	row = strings.TrimSuffix(row, "\n")
	// A row of four cells has five separators once escaped pipes are removed.
	if n := strings.Count(strings.ReplaceAll(strings.ReplaceAll(row, `\\`, ""), `\|`, ""), "|"); n != 5 {
		t.Errorf("row has %d separators, want 5: %s", n, row)
	}
}

func TestMarkdownTruncates(t *testing.T) {
	const n = 5000
	var fs []source.Finding
	for i := range n {
		fs = append(fs, source.Finding{
			Rule: "campaign.naming", Severity: source.Deny, Line: i%400 + 1, Column: 3,
			File:    fmt.Sprintf("campaigns/c%03d.yaml", i/10),
			Message: fmt.Sprintf("name 'Campaign %d|x' does not match the naming convention <fy{yy}-{q}>", i),
		})
	}
	source.Sort(fs)
	r := &source.Report{Findings: fs, Summary: source.Summary{Files: n / 10, Documents: n / 10}}
	r.Summary.Count(fs)
	out := string(render(t, Markdown, r, Options{PathPrefix: "examples/acme"}))

	if len(out) >= markdownLimit || utf8.RuneCountInString(out) >= markdownLimit {
		t.Fatalf("body is %d bytes, %d characters; GitHub's limit is %d", len(out), utf8.RuneCountInString(out), markdownLimit)
	}
	rows := strings.Count(out, "| ❌ deny |")
	m := regexp.MustCompile(`(\d+) of (\d+) findings are not shown`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no truncation note in:\n…%s", out[len(out)-500:])
	}
	if m[1] != fmt.Sprint(n-rows) || m[2] != fmt.Sprint(n) {
		t.Errorf("note says %s of %s left out; %d rows shown of %d", m[1], m[2], rows, n)
	}
	if rows < 100 {
		t.Errorf("only %d rows shown; the budget is wasted", rows)
	}
	if open, closed := strings.Count(out, "<details"), strings.Count(out, "</details>"); open != closed {
		t.Errorf("%d <details> but %d </details>", open, closed)
	}
}

func TestMarkdownNoNoteWhenAllFit(t *testing.T) {
	out := string(render(t, Markdown, fixtureReport(), Options{}))
	if strings.Contains(out, "not shown") {
		t.Errorf("small report has a truncation note:\n%s", out)
	}
	if got := strings.Count(out, "<details"); got != 3 {
		t.Errorf("%d file sections, want 3", got)
	}
}
