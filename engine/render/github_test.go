package render

import (
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/source"
)

func TestGitHubCommand(t *testing.T) {
	cases := map[string]struct {
		f      source.Finding
		prefix string
		want   string
	}{
		"deny": {
			f:    source.Finding{Rule: "campaign.naming", Severity: source.Deny, Message: "bad name", File: "c/a.yaml", Line: 3, Column: 5},
			want: "::error file=c/a.yaml,line=3,col=5,title=campaign.naming::bad name",
		},
		"warn with prefix": {
			f:      source.Finding{Rule: "r", Severity: source.Warn, Message: "m", File: "c/a.yaml", Line: 3, Column: 5},
			prefix: "examples/acme/",
			want:   "::warning file=examples/acme/c/a.yaml,line=3,col=5,title=r::m",
		},
		"waived": {
			f:    source.Finding{Rule: "r", Severity: source.Deny, Message: "m", File: "a.yaml", Line: 1, Column: 1, Waived: true, WaiverReason: "ok'd by legal"},
			want: "::notice file=a.yaml,line=1,col=1,title=r::m (waived: ok'd by legal)",
		},
		"waived without reason": {
			f:    source.Finding{Rule: "r", Severity: source.Warn, Message: "m", File: "a.yaml", Line: 1, Column: 1, Waived: true},
			want: "::notice file=a.yaml,line=1,col=1,title=r::m (waived)",
		},
		"line 0 omits line and col": {
			f:    source.Finding{Rule: "load", Severity: source.Deny, Message: "unreadable", File: "a.yaml"},
			want: "::error file=a.yaml,title=load::unreadable",
		},
		"column 0 omits col": {
			f:    source.Finding{Rule: "r", Severity: source.Deny, Message: "m", File: "a.yaml", Line: 7},
			want: "::error file=a.yaml,line=7,title=r::m",
		},
		"no file": {
			f:      source.Finding{Rule: "project", Severity: source.Deny, Message: "no mops.yaml", Line: 2},
			prefix: "examples/acme",
			want:   "::error title=project::no mops.yaml",
		},
		"escaping": {
			f: source.Finding{Rule: "a:b,c%d", Severity: source.Deny, Message: "x: 50%, y\r\nz::error::fake",
				File: "we,ird:na%me.yaml", Line: 1, Column: 2},
			want: "::error file=we%2Cird%3Ana%25me.yaml,line=1,col=2,title=a%3Ab%2Cc%25d::x: 50%25, y%0Az::error::fake",
		},
		"control, bidirectional and lone CR characters show as escapes": {
			f: source.Finding{Rule: "r", Severity: source.Deny, Message: "\x1b[2Jcleared\rover \u202etxt.exe\n::add-mask::x",
				File: "\u202ea.yaml", Line: 1},
			want: `::error file=\u202ea.yaml,line=1,title=r::\x1b[2Jcleared\rover \u202etxt.exe%0A\x3a:add-mask::x`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := githubCommand(c.f, c.prefix); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestGitHubOneLinePerFinding checks that no message, however hostile, can
// start a workflow command of its own: each finding is exactly one line.
func TestGitHubOneLinePerFinding(t *testing.T) {
	r := &source.Report{Findings: []source.Finding{
		{Rule: "r", Severity: source.Deny, Message: "a\n::add-mask::x\r::stop-commands::y", File: "a.yaml", Line: 1},
		{Rule: "r\n::x", Severity: source.Warn, Message: "b", File: "b\n.yaml", Line: 1, Waived: true, WaiverReason: "c\n::warning::d"},
	}}
	r.Summary.Count(r.Findings)
	out := string(render(t, GitHub, r, Options{}))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 2 commands and a summary:\n%s", len(lines), out)
	}
	if strings.Contains(out, "\r") {
		t.Errorf("output contains a carriage return:\n%q", out)
	}
	if !strings.HasPrefix(lines[0], "::error ") || !strings.HasPrefix(lines[1], "::notice ") {
		t.Errorf("commands are %q and %q", lines[0], lines[1])
	}
	if want := "mops validate failed: 1 deny, 0 warn, 1 waived in 0 files (0 documents)"; lines[2] != want {
		t.Errorf("summary %q, want %q", lines[2], want)
	}
}

func TestGitHubClean(t *testing.T) {
	r := &source.Report{Summary: source.Summary{Files: 2, Documents: 3}}
	if got, want := string(render(t, GitHub, r, Options{})), "mops validate clean: 0 deny, 0 warn, 0 waived in 2 files (3 documents)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
