package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mops-dev/mops/engine/source"
)

// forging reports a rune no format may print raw: a control character
// other than tab and newline, a C1 control or a bidirectional formatting
// character. (Output must also be valid UTF-8.)
func forging(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f || source.IsBidi(r)
}

// FuzzWrite renders a finding made of arbitrary bytes (message, waiver
// reason, file, rule, document name and the source line) in every format:
// none may print a raw forging character, print a line the GitHub runner
// takes for a workflow command it did not mean, or fail; json must decode
// to exactly the message.
func FuzzWrite(f *testing.F) {
	f.Add("plain message", "reason", "a.yaml", "campaign.owner", "name", "spec: x")
	f.Add("esc \x1b[2J cr \r nl \n::add-mask::x", "\u202eevil", "::warning::x.yaml", "r\x9b", "\u2066n", "line \x1b]0;t\a")
	f.Add(strings.Repeat("x", 5000), "", "", "", "", strings.Repeat("y", 5000))
	f.Add("\xff\xfe invalid", "\r\n", "f\x00.yaml", "", "", "\x85")
	f.Fuzz(func(t *testing.T, msg, reason, file, rule, name, line string) {
		r := &source.Report{
			Findings: []source.Finding{
				{Rule: rule, Severity: source.Deny, Message: msg, File: file, Line: 1, Column: 3, Kind: "SLA", Name: name, Path: "spec.target"},
				{Rule: rule, Severity: source.Warn, Message: msg, File: file, Line: 1, Waived: true, WaiverReason: reason},
			},
			Sources: map[string][]byte{file: []byte(line + "\n")},
		}
		r.Summary.Count(r.Findings)
		for _, format := range Formats() {
			var b bytes.Buffer
			if err := Write(&b, Format(format), r, Options{Version: "v1", PathPrefix: "gov"}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			out := b.String()
			if !utf8.ValidString(out) {
				t.Fatalf("%s: invalid UTF-8: %q", format, out)
			}
			if i := strings.IndexFunc(out, forging); i >= 0 {
				t.Fatalf("%s: raw %q at byte %d", format, out[i:min(len(out), i+4)], i)
			}
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(strings.TrimLeft(l, " \t"), "::") && (format != "github" || !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::notice ")) {
					t.Fatalf("%s: a workflow command: %q", format, l)
				}
			}
			if format == "json" {
				var back struct{ Findings []source.Finding }
				if err := json.Unmarshal(b.Bytes(), &back); err != nil {
					t.Fatalf("json: %v", err)
				}
				if want := string([]rune(msg)); back.Findings[0].Message != want {
					t.Fatalf("json: message %q, want %q", back.Findings[0].Message, want)
				}
			}
		}
	})
}
