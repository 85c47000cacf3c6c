package planview

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/source"
)

// FuzzLog renders change log records whose fields are arbitrary bytes, as
// a committed change log can hold (a pull request can rewrite it with a
// valid hash chain): the text formats of mops log and mops log --verify
// print each record on exactly one line with no raw forging character,
// and json decodes to the same values.
func FuzzLog(f *testing.F) {
	f.Add("eve", "add value x", "boom", "because", "sandbox")
	f.Add("eve\nVerified: the hash chain is intact.", "\x1b[2J\u202e", "\r::add-mask::x", "\x9b", "sb\x00")
	f.Add("\xff\xfe", strings.Repeat("z", 3000), "", "\t", "::error::x")
	f.Fuzz(func(t *testing.T, actor, summary, errText, emergency, system string) {
		recs := []changelog.Record{
			{Seq: 1, Time: time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC), Type: changelog.RunStart, Actor: actor, System: system,
				Approvers: []string{actor, summary}, Emergency: emergency, Result: changelog.ResultStarted, PlanHash: "sha256:" + summary},
			{Seq: 2, Time: time.Date(2027, 1, 2, 3, 4, 6, 0, time.UTC), Type: changelog.Change, Actor: actor, System: system,
				Change: &plan.Change{Seq: 1, Summary: summary}, Result: changelog.ResultFailed, Error: errText},
		}
		var out bytes.Buffer
		check := func(what string, lines int) {
			t.Helper()
			text := out.String()
			if !utf8.ValidString(text) {
				t.Fatalf("%s: invalid UTF-8: %q", what, text)
			}
			if i := strings.IndexFunc(text, func(r rune) bool {
				return r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f || source.IsBidi(r)
			}); i >= 0 {
				t.Fatalf("%s: raw %q at byte %d of %q", what, text[i:min(len(text), i+4)], i, text)
			}
			if n := strings.Count(text, "\n"); n != lines {
				t.Fatalf("%s: %d lines, want %d:\n%s", what, n, lines, text)
			}
			out.Reset()
		}
		if err := LogText(&out, &changelog.Report{Records: recs}, Options{}); err != nil {
			t.Fatal(err)
		}
		check("log", 2)
		v := &changelog.Verdict{Records: 2, Problems: []changelog.Problem{{Line: 2, Seq: 2, Message: errText}}, Path: ".mops/" + system, At: &recs[1]}
		if err := VerdictText(&out, v, Options{}); err != nil {
			t.Fatal(err)
		}
		check("verify", 2) // the break, and the record there
		if err := LogFormatSet().Write(&out, "json", &changelog.Report{Records: recs}, Options{}); err != nil {
			t.Fatal(err)
		}
		var back struct{ Records []changelog.Record }
		if err := json.Unmarshal(out.Bytes(), &back); err != nil {
			t.Fatalf("json: %v", err)
		}
		if want := string([]rune(actor)); back.Records[0].Actor != want {
			t.Fatalf("json actor %q, want %q", back.Records[0].Actor, want)
		}
	})
}
