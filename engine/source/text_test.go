package source

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeShowsWhatCouldForgeOutput(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, tab\tand\nnewline":     "plain text, tab\tand\nnewline",
		"red \x1b[31mALERT\x1b[0m":          `red \x1b[31mALERT\x1b[0m`,
		"overwrite\rclean":                  `overwrite\rclean`,
		"crlf\r\nline":                      "crlf\nline",
		"bell\a nul\x00 del\x7f":            `bell\a nul\x00 del\x7f`,
		"c1 csi \u009b2J":                   `c1 csi \u009b2J`,
		"trojan \u202eexe.yaml\u202c":       `trojan \u202eexe.yaml\u202c`,
		"isolate \u2066x\u2069 mark \u200f": `isolate \u2066x\u2069 mark \u200f`,
		"bad utf8 \xff":                     `bad utf8 \ufffd`,
		"::error::forged":                   `\x3a:error::forged`,
		"ok\n   ::add-mask::x":              "ok\n   \\x3a:add-mask::x",
		"mid-line a::b stays":               "mid-line a::b stays",
		"ünïcödé and emoji ✅":               "ünïcödé and emoji ✅",
	} {
		got := Escape(in)
		if got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		if again := Escape(got); again != got {
			t.Errorf("Escape is not idempotent on %q: %q", got, again)
		}
	}
	if got := EscapeLine("a\nb\tc\x1b"); got != `a\nb\tc\x1b` {
		t.Errorf("EscapeLine = %q", got)
	}
}

func TestQuoteAndShortenCutLongValues(t *testing.T) {
	big := strings.Repeat("x", 4<<20)
	q := Quote(big)
	if n := utf8.RuneCountInString(q); n > QuoteMax+3 || !strings.HasSuffix(q, Ellipsis) {
		t.Errorf("Quote of a 4 MB value is %d characters, ending %q", n, q[len(q)-8:])
	}
	if got := Quote("x\x1by"); got != `"x\x1by"` {
		t.Errorf("Quote = %s", got)
	}
	msg := Shorten("channel '" + big + "' is not a value of taxonomy channel")
	if n := utf8.RuneCountInString(msg); n > QuoteMax+60 || !strings.Contains(msg, "…") || !strings.HasSuffix(msg, "is not a value of taxonomy channel") {
		t.Errorf("Shorten kept %d characters: %.200q", n, msg)
	}
	many := strings.Repeat("word ", 1000)
	if n := utf8.RuneCountInString(Shorten(many)); n != MessageMax {
		t.Errorf("Shorten of a long sentence: %d characters, want %d", n, MessageMax)
	}
	if s := "a short message stays as it is"; Shorten(s) != s {
		t.Errorf("Shorten changed %q", s)
	}
	if got := Cut("héllo wörld", 5); got != "héll…" {
		t.Errorf("Cut = %q", got)
	}
}

func TestJSONSafeIsLosslessAndInert(t *testing.T) {
	value := "esc \x1b[2J c1 \u0085\u009b bidi \u202e\u2067 del \x7f ok ✅"
	data, err := json.Marshal(map[string]string{"message": value})
	if err != nil {
		t.Fatal(err)
	}
	safe := JSONSafe(data)
	for _, r := range string(safe) {
		if IsForging(r) {
			t.Fatalf("raw %U left in %s", r, safe)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(safe, &back); err != nil || back["message"] != value {
		t.Errorf("decoded %q (%v), want %q", back["message"], err, value)
	}
}
