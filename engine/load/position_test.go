package load

import (
	"strings"
	"testing"
)

// TestSyntaxErrorPositions: a YAML syntax error is reported on the line
// where the problem is. yaml.v3 leaves the line out of an error on the
// first line and names the line above for parser errors.
func TestSyntaxErrorPositions(t *testing.T) {
	for _, c := range []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"colon in a value on line 1", "a: b: c\n", 1, 5, "mapping values are not allowed"},
		{"colon in a value further down", "x: 1\na: b: c\n", 2, 5, "mapping values are not allowed"},
		{"key indented too little", "a: 1\nb:\n  c: 1\n d: 2\n", 4, 2, "did not find expected key"},
		{"key indented too little, deep", "a:\n  b: 1\n  c: 2\n  d: 3\n e: 4\n", 5, 2, "did not find expected key"},
		{"list item indented too little", "a:\n  - 1\n - 2\n", 3, 2, "did not find expected key"},
		{"mapping after a list item", "a: 1\nb:\n  - x\n  y: 2\n", 4, 3, "did not find expected '-' indicator"},
		{"unclosed [ on line 1", "a: [1, 2\nb: 3\n", 1, 4, "did not find expected ',' or ']'"},
		{"unclosed [ further down", "a: 1\nb: [x, y\nc: 2\n", 2, 4, "did not find expected ',' or ']'"},
		{"unclosed {", "a: 1\nb: {x: 1\nc: 2\n", 2, 4, "did not find expected ',' or '}'"},
		{"unclosed quote", "a: 1\nb: \"x\nc: 2\nd: 3\n", 2, 4, "found unexpected end of stream"},
		{"character that starts no token", "a: 1\nb: @x\n", 2, 1, "cannot start any token"},
		{"unknown alias", "a: 1\nb: *nope\n", 2, 4, "unknown anchor"},
		{"error in a second document", "a: 1\n---\nb: c: d\n", 3, 5, "mapping values are not allowed"},
	} {
		res := parseFile("x.yaml", []byte(c.src), 1<<20, DefaultAliasBudget, false)
		f := res.findings[len(res.findings)-1] // a syntax error ends parsing
		if !strings.HasPrefix(f.Message, "invalid YAML") {
			t.Errorf("%s: no syntax error: %+v", c.name, res.findings)
			continue
		}
		if f.Line != c.line || f.Column != c.col || !strings.Contains(f.Message, c.msg) {
			t.Errorf("%s: %d:%d %s\nwant %d:%d ...%s...", c.name, f.Line, f.Column, f.Message, c.line, c.col, c.msg)
		}
	}
}
