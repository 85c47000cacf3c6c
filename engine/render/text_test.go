package render

import (
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/source"
)

func TestTextControlCharacters(t *testing.T) {
	r := &source.Report{
		Findings: []source.Finding{{
			Rule: "r", Severity: source.Deny, File: "a.yaml", Line: 1, Column: 7,
			Message: "name '\x1b[2J\x1b[31mowned' is bad\r\nsecond line\x07",
			Waived:  true, WaiverReason: "ok\x1b]0;title\x07",
		}},
		Sources: map[string][]byte{"a.yaml": []byte("name: \"\\e[2J\"\r\n")},
	}
	out := string(render(t, Text, r, Options{}))
	for _, c := range []string{"\x1b", "\x07", "\r"} {
		if strings.Contains(out, c) {
			t.Errorf("text output contains control character %q:\n%s", c, out)
		}
	}
	for _, want := range []string{`'\x1b[2J\x1b[31mowned' is bad`, "\n          second line\\a\n", `waiver: ok\x1b]0;title\a`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTextNoCaretWithoutColumn(t *testing.T) {
	r := &source.Report{
		Findings: []source.Finding{{Rule: "r", Severity: source.Warn, File: "a.yaml", Line: 2, Message: "m"}},
		Sources:  map[string][]byte{"a.yaml": []byte("a: 1\nb: 2\n")},
	}
	out := string(render(t, Text, r, Options{}))
	if !strings.Contains(out, "     2 | b: 2\n") {
		t.Errorf("source line missing:\n%s", out)
	}
	if strings.Contains(out, "^") {
		t.Errorf("caret drawn for an unknown column:\n%s", out)
	}
}
