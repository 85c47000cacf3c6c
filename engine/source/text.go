package source

import (
	"bytes"
	"fmt"
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
// Invalid UTF-8 shows as \ufffd. A "::" that starts s or one of its lines
// (after blanks) becomes "\x3a:": the GitHub Actions runner takes any log
// line that starts so for a workflow command (::add-mask::, ::error::,
// ::stop-commands::), and every text mops prints lands in a CI log.
func Escape(s string) string {
	if !strings.ContainsFunc(s, IsForging) && !strings.Contains(s, "::") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s) + 16)
	lineStart := true
	for i, r := range s {
		switch {
		case IsForging(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		case r == ':' && lineStart && strings.HasPrefix(s[i:], "::"):
			b.WriteString(`\x3a`)
		default:
			b.WriteRune(r)
		}
		lineStart = r == '\n' || lineStart && (r == ' ' || r == '\t')
	}
	return b.String()
}

// Display is text from a repository (or a live system) as every human
// format shows it: long values cut (Shorten), then escaped (Escape).
func Display(s string) string { return Escape(Shorten(s)) }

// DisplayLine is Display for a value that must stay on its line (a field
// of a one-line record): newline and tab show as escapes too.
func DisplayLine(s string) string { return EscapeLine(Shorten(s)) }

// MessageMax is the most characters of a finding's message that mops
// shows; see Shorten.
const MessageMax = 1000

// Shorten keeps a message readable whatever it quotes: every run of
// non-blank characters longer than QuoteMax (a value a policy or an error
// echoed) is cut to QuoteMax with "…", then the whole to MessageMax.
func Shorten(msg string) string {
	if len(msg) <= QuoteMax {
		return msg
	}
	var b strings.Builder
	for len(msg) > 0 {
		i := strings.IndexAny(msg, " \t\n")
		if i < 0 {
			i = len(msg)
		}
		b.WriteString(Cut(msg[:i], QuoteMax))
		if i < len(msg) {
			b.WriteByte(msg[i])
			i++
		}
		msg = msg[i:]
	}
	return Cut(b.String(), MessageMax)
}

// JSONSafe makes encoded JSON carry the characters Escape shows as escapes
// in \u form rather than raw, so that printing it cannot forge a terminal
// or a review page, while every decoded value stays exactly what it was.
// encoding/json already escapes C0 controls; this adds DEL, the C1
// controls and the bidirectional controls. Outside strings, JSON holds
// none of them, so the bytes can be replaced wherever they are.
func JSONSafe(data []byte) []byte {
	if !bytes.ContainsFunc(data, func(r rune) bool { return IsForging(r) && r != utf8.RuneError }) {
		return data
	}
	out := make([]byte, 0, len(data)+32)
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if IsForging(r) && r != utf8.RuneError && r >= 0x7f {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out
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
