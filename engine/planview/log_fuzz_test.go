package planview

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/source"
)

// FuzzLog renders change log records whose fields are arbitrary bytes, as
// a committed change log can hold (a pull request can rewrite it with a
// valid hash chain): the text formats of mops log, mops log --verify and
// mops log --resolve print each record on exactly one line with no raw
// forging character, and json decodes to the same values.
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
			// A crashed run's open intent, and the record resolving it.
			{Seq: 3, Time: time.Date(2027, 1, 2, 3, 4, 7, 0, time.UTC), Type: changelog.Intent, Actor: actor, System: system, PlanID: emergency,
				Change: &plan.Change{Seq: 2, Summary: summary, Value: errText, Target: live.Binding{System: system, Object: actor, Property: summary}}, Result: changelog.ResultIntended},
			{Seq: 4, Time: time.Date(2027, 1, 2, 3, 4, 8, 0, time.UTC), Type: changelog.Change, Actor: actor, System: system, PlanID: emergency,
				Change: &plan.Change{Seq: 2, Summary: summary}, Intent: 3, Result: changelog.ResultRecovered, Note: errText},
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
		check("log", 4)
		v := &changelog.Verdict{Records: 4, Problems: []changelog.Problem{{Line: 2, Seq: 2, Message: errText}}, Path: ".mops/" + system, At: &recs[1],
			Pending: recs[2:3]}
		if err := VerdictText(&out, v, Options{}); err != nil {
			t.Fatal(err)
		}
		check("verify", 5) // the break, the record there, the open intent with a head and how to resolve it
		rs := []apply.Resolution{{Record: recs[2], Result: changelog.ResultRecovered, Detail: errText}, {Record: recs[0], Result: changelog.ResultInterrupted, Detail: summary}}
		if err := ResolveText(&out, rs, Options{}); err != nil {
			t.Fatal(err)
		}
		check("resolve", 3)
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
