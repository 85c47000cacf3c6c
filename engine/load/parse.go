package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

// yamlLine extracts the line number yaml.v3 puts in its error messages.
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parseFile decodes every document of one file. It never panics on bad
// input: every problem becomes a finding with the best position known.
// With keep set, each document keeps its node tree (see model.NewDocument).
func parseFile(file string, data []byte, maxSize int64, aliasBudget int, keep bool) (res fileResult) {
	fail := func(line, col int, format string, args ...any) fileResult {
		res.findings = append(res.findings, source.Finding{
			Rule: source.RuleLoad, Severity: source.Deny, File: file, Line: line, Column: col,
			Message: fmt.Sprintf(format, args...),
		})
		return res
	}
	if int64(len(data)) > maxSize {
		res.findings = append(res.findings, tooLarge(file, maxSize))
		return res
	}
	res.data = data
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		line, col := lineCol(data, off)
		return fail(line, col, "file is not valid UTF-8 (byte 0x%02x at offset %d); save it as UTF-8", data[off], off)
	}
	if line, col, ok := leadingTab(data); ok {
		return fail(line, col, "tab character used for indentation; YAML indentation must use spaces")
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	for index := 0; ; index++ {
		var root yaml.Node
		err := dec.Decode(&root)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, msg := yamlError(err)
			line = problemLine(data, line, msg)
			col := 1
			if line > 0 {
				text, _ := source.Line(data, line)
				col = errorColumn(text, msg)
			}
			if strings.Contains(msg, "mapping values are not allowed") {
				msg += " (put the value in quotes: an unquoted ': ' inside a value starts a new mapping)"
			}
			if strings.Contains(msg, "unexpected end of stream") {
				msg += " (is a quote left open?)"
			}
			return fail(line, col, "invalid YAML: %s", msg)
		}
		if len(root.Content) == 0 || isNull(root.Content[0]) {
			continue // an empty document, or one holding only comments
		}
		doc, findings := document(file, index, &root, data, aliasBudget, keep)
		res.findings = append(res.findings, findings...)
		if doc != nil {
			res.docs = append(res.docs, doc)
		}
	}
	return res
}

// tooLarge is the finding of a file over the size limit.
func tooLarge(file string, maxSize int64) source.Finding {
	return source.Finding{Rule: source.RuleLoad, Severity: source.Deny, File: file,
		Message: fmt.Sprintf("file is larger than the %d-byte limit (spec.maxFileSize in mops.yaml); split it into several files", maxSize)}
}

// document checks one parsed document's shape and envelope.
func document(file string, index int, root *yaml.Node, src []byte, aliasBudget int, keep bool) (*model.Document, []source.Finding) {
	var out []source.Finding
	add := func(n *yaml.Node, format string, args ...any) {
		out = append(out, source.Finding{Rule: source.RuleLoad, Severity: source.Deny, File: file,
			Line: n.Line, Column: n.Column, Message: fmt.Sprintf(format, args...)})
	}
	body := root.Content[0]
	if body.Kind != yaml.MappingNode {
		add(body, "expected a mapping with apiVersion, kind, metadata and spec; found %s", nodeKind(body))
		return nil, out
	}
	duplicateKeys(body, add)
	if len(out) > 0 {
		return nil, out
	}
	conv := converter{budget: countNodes(body) + aliasBudget}
	v, err := conv.value(body)
	var budgetErr *errAliasBudget
	if errors.As(err, &budgetErr) {
		add(budgetErr.node, "%s", budgetErr.Error())
		return nil, out
	}
	value, _ := v.(map[string]any)
	doc := model.NewDocument(file, index, root, src, value, keep || file == ProjectFile)

	apiVersion, _ := value["apiVersion"].(string)
	kind, _ := value["kind"].(string)
	doc.APIVersion = apiVersion
	if meta, ok := value["metadata"].(map[string]any); ok {
		doc.Name, _ = meta["name"].(string)
	}
	switch {
	case value["apiVersion"] == nil:
		add(body, "apiVersion is missing; expected apiVersion: %s", model.APIVersion)
	case apiVersion != model.APIVersion:
		add(nodeAt(body, "apiVersion"), "unknown apiVersion %s; supported: %s", source.Quote(fmt.Sprint(value["apiVersion"])), model.APIVersion)
	}
	switch k, ok := model.ParseKind(kind); {
	case value["kind"] == nil:
		add(body, "kind is missing; expected one of %s", model.KindNames())
	case !ok:
		msg := fmt.Sprintf("unknown kind %s; supported kinds: %s", source.Quote(fmt.Sprint(value["kind"])), model.KindNames())
		if s := suggestKind(kind); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		add(nodeAt(body, "kind"), "%s", msg)
	default:
		doc.Kind = k
	}
	if len(out) > 0 {
		for i := range out {
			out[i].Kind, out[i].Name = kind, doc.Name
		}
		return nil, out
	}
	return doc, out
}

// duplicateKeys reports mapping keys defined twice anywhere in n. Small
// mappings (nearly all of them) are checked pairwise, without allocating.
func duplicateKeys(n *yaml.Node, add func(*yaml.Node, string, ...any)) {
	switch n.Kind {
	case yaml.MappingNode:
		const small = 32 // entries; pairwise comparison beats a map below this
		var seen map[string]*yaml.Node
		if len(n.Content)/2 > small {
			seen = make(map[string]*yaml.Node, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Tag != "!!merge" {
				var first *yaml.Node
				if seen != nil {
					first = seen[k.Value]
					if first == nil {
						seen[k.Value] = k
					}
				} else {
					for j := 0; j < i; j += 2 {
						if prev := n.Content[j]; prev.Tag != "!!merge" && prev.Value == k.Value {
							first = prev
							break
						}
					}
				}
				if first != nil {
					add(k, "duplicate key %s: already defined at line %d, column %d", source.Quote(k.Value), first.Line, first.Column)
				}
			}
			duplicateKeys(n.Content[i+1], add)
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			duplicateKeys(c, add)
		}
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && (n.Value == "" || n.Value == "~" || n.Value == "null")
}

func countNodes(n *yaml.Node) int {
	c := 1
	for _, ch := range n.Content {
		c += countNodes(ch)
	}
	return c
}

func nodeAt(body *yaml.Node, key string) *yaml.Node {
	if n, matched := source.Lookup(body, []string{key}); matched == 1 {
		return n
	}
	return body
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "the value " + source.Quote(n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "something else"
}

func suggestKind(s string) string {
	for _, k := range model.Kinds() {
		if strings.EqualFold(string(k), s) || strings.EqualFold(string(k), strings.TrimSuffix(s, "s")) {
			return string(k)
		}
	}
	return ""
}

// yamlError splits a yaml.v3 error into its line (0 when unknown) and a
// message without the "yaml: line N:" prefix.
func yamlError(err error) (int, string) {
	msg := err.Error()
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return 0, msg
	}
	line, _ := strconv.Atoi(m[1])
	return line, m[2]
}

// searchLimit is the largest file whose syntax error problemLine pins down
// by parsing prefixes (at most log2(lines) of them); a larger file gets
// yaml.v3's line, corrected.
const searchLimit = 1 << 20

// problemLine returns the 1-based line of a YAML syntax error that yaml.v3
// reported at line (0 when it gave none). yaml.v3 counts its marks from 0
// and prints a parser error's context line without adding 1, so it names
// the line above the problem, and it leaves the line out of any error on
// the first line. The line where the problem is, is the first line at
// which the text stops parsing with the same message: the shortest prefix
// of whole lines that fails as the file does. Found by bisection, since a
// prefix that fails so keeps failing so when lines are added.
func problemLine(data []byte, line int, msg string) int {
	guess := max(line, 1)
	if isParserError(msg) && line > 0 {
		guess = line + 1
	}
	if len(data) > searchLimit {
		return guess
	}
	ends := lineEnds(data)
	fails := func(k int) bool {
		dec := yaml.NewDecoder(bytes.NewReader(data[:ends[k-1]]))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if err == nil {
				continue
			}
			if errors.Is(err, io.EOF) {
				return false
			}
			_, m := yamlError(err)
			return m == msg
		}
	}
	lo, hi := 1, len(ends) // fails(hi) holds: it is the whole file
	if !fails(hi) {
		return guess
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// lineEnds returns the offset just past each line of data (its newline
// included); a last line without a newline ends at len(data).
func lineEnds(data []byte) []int {
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	return ends
}

// isParserError reports the messages of libyaml's parser (rather than its
// scanner), whose line yaml.v3 prints one too low.
func isParserError(msg string) bool {
	return strings.HasPrefix(msg, "did not find expected") || strings.HasPrefix(msg, "found duplicate %YAML") ||
		strings.HasPrefix(msg, "found incompatible YAML") || strings.HasPrefix(msg, "found undefined tag handle")
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// leadingTab finds a line indented with a tab. Block scalars may contain
// tabs after their indentation, so only a tab before any other character of
// a line that is not inside a block scalar counts.
func leadingTab(data []byte) (int, int, bool) {
	if bytes.IndexByte(data, '\t') < 0 {
		return 0, 0, false // the common case: no tab anywhere
	}
	blockIndent := -1 // indentation of the key owning a block scalar
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		if blockIndent >= 0 {
			if strings.TrimSpace(line) == "" || indent > blockIndent {
				continue
			}
			blockIndent = -1
		}
		if strings.HasPrefix(trimmed, "\t") && strings.TrimSpace(trimmed) != "" {
			return i + 1, indent + 1, true
		}
		if isBlockScalarStart(trimmed) {
			blockIndent = indent
		}
	}
	return 0, 0, false
}

func isBlockScalarStart(s string) bool {
	s = strings.TrimRight(s, " \r")
	if j := strings.Index(s, " #"); j >= 0 {
		s = strings.TrimRight(s[:j], " ")
	}
	for _, suffix := range []string{"|", ">", "|-", ">-", "|+", ">+"} {
		if strings.HasSuffix(s, " "+suffix) || strings.HasSuffix(s, ":"+suffix) || s == suffix || strings.HasSuffix(s, "- "+suffix) {
			return true
		}
	}
	return false
}

// errorColumn guesses the column of a YAML syntax error on line, which
// yaml.v3 does not report: for "mapping values are not allowed" it is the
// second ": " of the line (an unquoted colon inside a value), else the
// first non-blank character.
func errorColumn(line, msg string) int {
	if strings.Contains(msg, "mapping values are not allowed") {
		if first := strings.Index(line, ": "); first >= 0 {
			if second := strings.Index(line[first+2:], ": "); second >= 0 {
				return len([]rune(line[:first+2+second])) + 1
			}
		}
	}
	for open, close := range map[string]string{"[": "]", "{": "}"} {
		// An unclosed flow collection: point at its opening bracket.
		if strings.HasSuffix(msg, "or '"+close+"'") {
			if i := strings.LastIndex(line, open); i >= 0 {
				return len([]rune(line[:i])) + 1
			}
		}
	}
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		if i := strings.Index(line, "*"+strings.TrimSuffix(name, "' referenced")); i >= 0 {
			return len([]rune(line[:i])) + 1
		}
	}
	if strings.Contains(msg, "unexpected end of stream") {
		// Usually a quoted value that is never closed.
		if i := strings.IndexAny(line, "\"'"); i >= 0 {
			return len([]rune(line[:i])) + 1
		}
	}
	return firstNonSpace(line)
}

func firstNonSpace(s string) int {
	for i, r := range []rune(s) {
		if r != ' ' && r != '\t' {
			return i + 1
		}
	}
	return 1
}
