package sfsandbox

import (
	"fmt"
	"strings"
)

// query is a parsed SOQL statement of the small grammar the emulator
// understands:
//
//	SELECT item {, item} FROM name [WHERE cond {AND cond}] [GROUP BY name]
//	item := name | COUNT() | COUNT(name)
//	cond := name = literal | name IN list | name INCLUDES list
//	literal := 'string' | null | true | false
//	list := ('string' {, 'string'})
//
// Which combinations are valid is up to the executor.
type query struct {
	fields  []string // plain names, in order
	count   bool     // COUNT() or COUNT(x) present
	countOf string   // the x of COUNT(x); "" for COUNT()
	from    string
	where   []cond
	groupBy string
}

type cond struct {
	field string
	op    condOp
	// values holds the literal of =, the list of IN and INCLUDES.
	values []string
	// literal is the kind of ='s literal.
	literal litKind
}

// condOp is a condition's operator.
type condOp int

const (
	opEquals condOp = iota
	opIn
	opIncludes
)

// litKind is the kind of literal an = compares with.
type litKind int

const (
	litString litKind = iota
	litNull
	litBool // values[0] is "true" or "false"
)

// parseSOQL parses s or says why it cannot.
func parseSOQL(s string) (*query, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	return p.query()
}

type tokKind int

const (
	tokName tokKind = iota
	tokString
	tokPunct
	tokEOF
)

type token struct {
	kind tokKind
	text string
}

func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',' || c == '=':
			toks = append(toks, token{tokPunct, string(c)})
			i++
		case c == '\'':
			str, n, err := lexString(s[i:])
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokString, str})
			i += n
		case isNameStart(c):
			j := i + 1
			for j < len(s) && isNamePart(s[j]) {
				j++
			}
			toks = append(toks, token{tokName, s[i:j]})
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q at %d", c, i)
		}
	}
	return append(toks, token{kind: tokEOF}), nil
}

// lexString reads a quoted literal at the start of s, undoing SOQL's
// escapes; it returns the value and the bytes consumed.
func lexString(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			return b.String(), i + 1, nil
		case '\\':
			i++
			if i == len(s) {
				return "", 0, fmt.Errorf("unterminated string")
			}
			esc, ok := unescape(s[i])
			if !ok {
				return "", 0, fmt.Errorf("invalid escape \\%c", s[i])
			}
			b.WriteByte(esc)
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("unterminated string")
}

// unescape maps the character after a backslash to what it stands for.
func unescape(c byte) (byte, bool) {
	switch c {
	case '\\', '\'', '"':
		return c, true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	}
	return 0, false
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNamePart(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' }

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token { t := p.toks[p.pos]; p.pos = min(p.pos+1, len(p.toks)-1); return t }

func (p *parser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tokPunct && t.text == s
}

func (p *parser) keyword(k string) bool {
	if t := p.peek(); t.kind == tokName && strings.EqualFold(t.text, k) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expect(kind tokKind, text, what string) (string, error) {
	t := p.next()
	if t.kind != kind || (text != "" && !strings.EqualFold(t.text, text)) {
		return "", fmt.Errorf("expecting %s", what)
	}
	return t.text, nil
}

var reserved = []string{"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "GROUP", "BY", "ORDER", "LIMIT", "OFFSET", "INCLUDES", "EXCLUDES", "IN", "LIKE", "HAVING"}

func (p *parser) name(what string) (string, error) {
	t := p.next()
	if t.kind != tokName {
		return "", fmt.Errorf("expecting %s", what)
	}
	for _, r := range reserved {
		if strings.EqualFold(t.text, r) {
			return "", fmt.Errorf("unexpected token: %s", t.text)
		}
	}
	return t.text, nil
}

func (p *parser) query() (*query, error) {
	q := &query{}
	if _, err := p.expect(tokName, "SELECT", "SELECT"); err != nil {
		return nil, err
	}
	for {
		if err := p.selectItem(q); err != nil {
			return nil, err
		}
		if !p.isPunct(",") {
			break
		}
		p.next()
	}
	if _, err := p.expect(tokName, "FROM", "FROM"); err != nil {
		return nil, err
	}
	var err error
	if q.from, err = p.name("an object name"); err != nil {
		return nil, err
	}
	if p.keyword("WHERE") {
		for {
			c, err := p.cond()
			if err != nil {
				return nil, err
			}
			q.where = append(q.where, c)
			if !p.keyword("AND") {
				break
			}
		}
	}
	if p.keyword("GROUP") {
		if _, err := p.expect(tokName, "BY", "BY"); err != nil {
			return nil, err
		}
		if q.groupBy, err = p.name("a field name"); err != nil {
			return nil, err
		}
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, fmt.Errorf("unexpected token: %s", t.text)
	}
	return q, nil
}

func (p *parser) selectItem(q *query) error {
	n, err := p.name("a field name")
	if err != nil {
		return err
	}
	if !strings.EqualFold(n, "COUNT") || !p.isPunct("(") {
		q.fields = append(q.fields, n)
		return nil
	}
	if q.count {
		return fmt.Errorf("only one COUNT is supported")
	}
	p.next()
	q.count = true
	if !p.isPunct(")") {
		if q.countOf, err = p.name("a field name"); err != nil {
			return err
		}
	}
	_, err = p.expect(tokPunct, ")", "')'")
	return err
}

func (p *parser) cond() (cond, error) {
	f, err := p.name("a field name")
	if err != nil {
		return cond{}, err
	}
	c := cond{field: f}
	switch {
	case p.keyword("INCLUDES"):
		c.op = opIncludes
		c.values, err = p.list()
		return c, err
	case p.keyword("IN"):
		c.op = opIn
		c.values, err = p.list()
		return c, err
	}
	if _, err := p.expect(tokPunct, "=", "'=', IN or INCLUDES"); err != nil {
		return cond{}, err
	}
	t := p.next()
	switch {
	case t.kind == tokString:
		c.values = []string{t.text}
	case t.kind == tokName && strings.EqualFold(t.text, "null"):
		c.literal, c.values = litNull, []string{""}
	case t.kind == tokName && (strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false")):
		c.literal, c.values = litBool, []string{strings.ToLower(t.text)}
	default:
		return cond{}, fmt.Errorf("expecting a literal ('string', null, true or false)")
	}
	return c, nil
}

// list reads ('string' {, 'string'}).
func (p *parser) list() ([]string, error) {
	if _, err := p.expect(tokPunct, "(", "'('"); err != nil {
		return nil, err
	}
	var values []string
	for {
		v, err := p.expect(tokString, "", "a string literal")
		if err != nil {
			return nil, err
		}
		values = append(values, v)
		if !p.isPunct(",") {
			break
		}
		p.next()
	}
	_, err := p.expect(tokPunct, ")", "')'")
	return values, err
}
