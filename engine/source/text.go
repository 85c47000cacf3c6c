package source

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text taken from a repository reaches people: a terminal, a CI log, a
// pull request's annotations and comments. Its author controls it, so what
// could forge that output is shown escaped instead of acting: control
// characters (ESC starts terminal sequences, CR overwrites a line, C1 codes
// act in some terminals) and the Unicode bidirectional controls that
// reorder text in review UIs (the "Trojan Source" characters).

// QuoteMax is how many characters of a value a message quotes; the rest is
// cut and marked with "…". A 4 MB scalar is not echoed whole.
const QuoteMax = 120

// Quote quotes a value for a message: Go-quoted (so control and
// bidirectional characters show as escapes) and cut to QuoteMax
// characters.
func Quote(s string) string {
	cut := Cut(s, QuoteMax)
	if cut == s {
		return strconv.Quote(s)
	}
	return strconv.Quote(strings.TrimSuffix(cut, Ellipsis)) + Ellipsis
}

// Ellipsis marks where Cut shortened a text.
const Ellipsis = "…"

// Cut shortens s to at most n characters, the last of them Ellipsis.
func Cut(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < n-1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	return s[:i] + Ellipsis
}

// IsForging reports the characters Escape shows as escapes: every control
// character but tab and newline, and the bidirectional controls.
func IsForging(r rune) bool {
	if r == '\t' || r == '\n' {
		return false
	}
	return unicode.IsControl(r) || IsBidi(r) || r == utf8.RuneError
}

// IsBidi reports a Unicode bidirectional formatting character: the
// embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069, and
// the marks U+200E, U+200F and U+061C.
func IsBidi(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// Escape shows the forging characters of s (see IsForging) as Go escapes
// (\x1b, \r, \u202e); tab and newline stay, and CRLF becomes a newline.
// Invalid UTF-8 shows as \ufffd.
func Escape(s string) string {
	if !strings.ContainsFunc(s, IsForging) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		if !IsForging(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

// EscapeLine is Escape for text that must stay on one line: newline and
// tab are escaped too.
func EscapeLine(s string) string {
	s = Escape(s)
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.NewReplacer("\n", `\n`, "\t", `\t`).Replace(s)
}
