package policy

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/mops-dev/mops/engine/suggest"
)

// A naming template is literal text with {token} placeholders, for example
// "{fy}-{quarter}-{region}-{channel}-{slug}". Convention compiles one with
// its token rules; Check then says whether a name follows it and, when not,
// which token failed, the text that stood there, the allowed values and the
// closest one.

// TokenRule is how one token of a template is checked. A token with no
// pattern, enum or taxonomy accepts any non-empty text.
type TokenRule struct {
	// Pattern is a regular expression (RE2) the whole token must match.
	Pattern string
	// Enum lists the allowed texts.
	Enum []string
	// Taxonomy names the Taxonomy whose active values are allowed.
	Taxonomy string
	// Values are the taxonomy's active values, in order; Deprecated maps
	// each deprecated value to its replacedBy.
	Values     []string
	Deprecated map[string]string
	// TaxonomyMissing is set when Taxonomy names no document.
	TaxonomyMissing bool
	// MaxLength caps the token's length in characters; 0 means no cap.
	MaxLength int
}

// Problem is one way a name fails its template.
type Problem struct {
	// Token is the token that failed; "" for the name as a whole.
	Token string `json:"token"`
	// Text is what stood at the token (the whole name when Token is "").
	Text string `json:"text"`
	// Reason is one of taxonomy, deprecated, enum, pattern, maxLength,
	// shape, case.
	Reason string `json:"reason"`
	// Allowed lists the allowed values for enum and taxonomy tokens.
	Allowed []string `json:"allowed"`
	// Suggestion is the allowed value closest to Text, or "".
	Suggestion string `json:"suggestion"`
	// Message says all of the above in one sentence.
	Message string `json:"message"`
}

// Match is the outcome of checking one name.
type Match struct {
	OK bool `json:"ok"`
	// Tokens maps each token to the text that stood there, as far as the
	// name could be split.
	Tokens   map[string]string `json:"tokens"`
	Problems []Problem         `json:"problems"`
}

type segment struct {
	literal string
	token   string // set for a {token} segment
}

// Convention is a compiled naming template.
type Convention struct {
	template  string
	segs      []segment
	tokens    map[string]TokenRule
	patterns  map[string]*regexp.Regexp
	badRegex  map[string]string
	strict    *regexp.Regexp
	maxLength int
	fold      bool
	// upper, with fold, is the "upper" transform: the name must be upper
	// case as a whole.
	upper bool
	// allowed holds each enum or taxonomy token's allowed texts (lower
	// case when fold), for the fast path.
	allowed map[string]map[string]bool
}

// maxAllowedShown caps how many allowed values a message lists.
const maxAllowedShown = 12

// NewConvention compiles template with the token rules. maxLength caps the
// whole name (0: no cap). With fold, tokens match case-insensitively (the
// "lower" transform: the name must then be lower case as a whole).
func NewConvention(template string, tokens map[string]TokenRule, maxLength int, fold bool) *Convention {
	c := &Convention{
		template: template, tokens: tokens, maxLength: maxLength, fold: fold,
		segs:     parseTemplate(template),
		patterns: map[string]*regexp.Regexp{}, badRegex: map[string]string{},
		allowed: map[string]map[string]bool{},
	}
	for name, rule := range tokens {
		var vs []string
		switch {
		case rule.Pattern != "":
			continue
		case len(rule.Enum) > 0:
			vs = rule.Enum
		case rule.Taxonomy != "":
			vs = rule.Values
		default:
			continue
		}
		set := make(map[string]bool, len(vs))
		for _, v := range vs {
			if fold {
				v = strings.ToLower(v)
			}
			set[v] = true
		}
		c.allowed[name] = set
	}
	flags := ""
	if fold {
		flags = "(?i)"
	}
	var strict strings.Builder
	strict.WriteString("^" + flags)
	for i, s := range c.segs {
		if s.token == "" {
			strict.WriteString(regexp.QuoteMeta(s.literal))
			continue
		}
		rule := tokens[s.token]
		if rule.Pattern != "" {
			if _, seen := c.patterns[s.token]; !seen {
				re, err := regexp.Compile("^" + flags + "(?:" + rule.Pattern + ")$")
				if err != nil {
					c.badRegex[s.token] = err.Error()
				} else {
					c.patterns[s.token] = re
				}
			}
		}
		fmt.Fprintf(&strict, "(?P<s%d>%s)", i, tokenRegex(rule))
	}
	strict.WriteString("$")
	if len(c.badRegex) == 0 {
		c.strict, _ = regexp.Compile(strict.String())
	}
	return c
}

// tokenRegex is the expression for a token inside the whole-name regex.
func tokenRegex(rule TokenRule) string {
	var alts []string
	switch {
	case rule.Pattern != "":
		return "(?:" + rule.Pattern + ")"
	case len(rule.Enum) > 0:
		alts = rule.Enum
	case rule.Taxonomy != "":
		alts = rule.Values
	default:
		return ".+"
	}
	if len(alts) == 0 {
		return "[^\\x00-\\x{10FFFF}]" // matches nothing
	}
	quoted := make([]string, len(alts))
	for i, a := range alts {
		quoted[i] = regexp.QuoteMeta(a)
	}
	return "(?:" + strings.Join(quoted, "|") + ")"
}

func parseTemplate(t string) []segment {
	var segs []segment
	lit := func(s string) {
		if s == "" {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].token == "" {
			segs[n-1].literal += s
			return
		}
		segs = append(segs, segment{literal: s})
	}
	for t != "" {
		open := strings.IndexByte(t, '{')
		if open < 0 {
			lit(t)
			break
		}
		end := strings.IndexByte(t[open:], '}')
		if end < 0 {
			lit(t)
			break
		}
		lit(t[:open])
		name := t[open+1 : open+end]
		if name == "" {
			lit("{}")
		} else {
			segs = append(segs, segment{token: name})
		}
		t = t[open+end+1:]
	}
	return segs
}

// TemplateTokens lists the token names of a template in order of appearance.
func TemplateTokens(template string) []string {
	var out []string
	for _, s := range parseTemplate(template) {
		if s.token != "" {
			out = append(out, s.token)
		}
	}
	return out
}

// Check matches name against the convention.
func (c *Convention) Check(name string) Match {
	m := Match{Tokens: map[string]string{}, Problems: []Problem{}}
	switch {
	case c.upper && name != strings.ToUpper(name):
		m.Problems = append(m.Problems, Problem{Text: name, Reason: "case",
			Message: fmt.Sprintf("it must be upper case (transform: upper); write '%s'", strings.ToUpper(name))})
	case c.fold && !c.upper && name != strings.ToLower(name):
		m.Problems = append(m.Problems, Problem{Text: name, Reason: "case",
			Message: fmt.Sprintf("it must be lower case (transform: lower); write '%s'", strings.ToLower(name))})
	}
	if n := utf8.RuneCountInString(name); c.maxLength > 0 && n > c.maxLength {
		m.Problems = append(m.Problems, Problem{Text: name, Reason: "maxLength",
			Message: fmt.Sprintf("it is %d characters long; the convention allows at most %d", n, c.maxLength)})
	}
	// Fast path: split along the literals and check each token on its own.
	// When every token passes, the name follows the template.
	if texts, shape := c.split(name); shape == nil && c.tokensPass(texts) {
		for i, s := range c.segs {
			if s.token != "" {
				m.Tokens[s.token] = *texts[i]
			}
		}
		m.OK = len(m.Problems) == 0
		return m
	}
	if c.strict != nil {
		if sub := c.strict.FindStringSubmatch(name); sub != nil {
			for i, s := range c.segs {
				if s.token == "" {
					continue
				}
				text := sub[c.strict.SubexpIndex(fmt.Sprintf("s%d", i))]
				m.Tokens[s.token] = text
				if p, bad := c.tooLong(s.token, text); bad {
					m.Problems = append(m.Problems, p)
				}
			}
			m.OK = len(m.Problems) == 0
			return m
		}
	}
	texts, shape := c.split(name)
	for i, s := range c.segs {
		if s.token == "" || i >= len(texts) || texts[i] == nil {
			continue
		}
		m.Tokens[s.token] = *texts[i]
		if p, bad := c.checkToken(s.token, *texts[i]); bad {
			m.Problems = append(m.Problems, p)
		}
	}
	if shape != nil {
		m.Problems = append(m.Problems, *shape)
	}
	if len(m.Problems) == 0 {
		m.Problems = append(m.Problems, Problem{Text: name, Reason: "shape",
			Message: fmt.Sprintf("it does not match the template %s", c.template)})
	}
	return m
}

// tokensPass reports whether every token text passes its rule.
func (c *Convention) tokensPass(texts []*string) bool {
	for i, s := range c.segs {
		if s.token == "" {
			continue
		}
		if texts[i] == nil {
			return false
		}
		text := *texts[i]
		rule := c.tokens[s.token]
		switch {
		case rule.Pattern != "":
			re := c.patterns[s.token]
			if re == nil || !re.MatchString(text) {
				return false
			}
		case len(rule.Enum) > 0 || rule.Taxonomy != "":
			key := text
			if c.fold {
				key = strings.ToLower(text)
			}
			if !c.allowed[s.token][key] {
				return false
			}
		default:
			if text == "" {
				return false
			}
		}
		if rule.MaxLength > 0 && utf8.RuneCountInString(text) > rule.MaxLength {
			return false
		}
	}
	return true
}

// split cuts name along the template's literals: each token ends at the
// first occurrence of the literal that follows it, and the last token takes
// the rest. texts[i] is the text of segment i, nil where the name ran out.
func (c *Convention) split(name string) ([]*string, *Problem) {
	texts := make([]*string, len(c.segs))
	rest := name
	for i, s := range c.segs {
		if s.token == "" {
			if !c.hasPrefix(rest, s.literal) {
				return texts, c.shapeProblem(name, i)
			}
			rest = rest[len(s.literal):]
			continue
		}
		if i+1 == len(c.segs) {
			t := rest
			texts[i], rest = &t, ""
			break
		}
		if c.segs[i+1].token != "" {
			// Two tokens side by side: only the whole-name match can split them.
			return texts, &Problem{Text: name, Reason: "shape",
				Message: fmt.Sprintf("it does not match the template %s", c.template)}
		}
		at := c.index(rest, c.segs[i+1].literal)
		if at < 0 {
			t := rest
			texts[i] = &t
			return texts, c.shapeProblem(name, i+1)
		}
		t := rest[:at]
		texts[i], rest = &t, rest[at:]
	}
	if rest != "" {
		return texts, &Problem{Text: name, Reason: "shape",
			Message: fmt.Sprintf("it has '%s' after the end of the template %s", rest, c.template)}
	}
	return texts, nil
}

func (c *Convention) hasPrefix(s, prefix string) bool {
	if c.fold {
		return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
	}
	return strings.HasPrefix(s, prefix)
}

func (c *Convention) index(s, sub string) int {
	if c.fold {
		return strings.Index(strings.ToLower(s), strings.ToLower(sub))
	}
	return strings.Index(s, sub)
}

// shapeProblem reports that the literal of segment i is missing.
func (c *Convention) shapeProblem(name string, i int) *Problem {
	msg := fmt.Sprintf("it should start with '%s' (template %s)", c.segs[i].literal, c.template)
	if i > 0 {
		msg = fmt.Sprintf("expected '%s' after {%s} (template %s)", c.segs[i].literal, c.segs[i-1].token, c.template)
	}
	return &Problem{Text: name, Reason: "shape", Message: msg}
}

func (c *Convention) tooLong(token, text string) (Problem, bool) {
	rule := c.tokens[token]
	if n := utf8.RuneCountInString(text); rule.MaxLength > 0 && n > rule.MaxLength {
		return Problem{Token: token, Text: text, Reason: "maxLength",
			Message: fmt.Sprintf("%s '%s' is %d characters long; at most %d allowed", token, text, n, rule.MaxLength)}, true
	}
	return Problem{}, false
}

// checkToken checks one token's text on its own.
func (c *Convention) checkToken(token, text string) (Problem, bool) {
	rule := c.tokens[token]
	p := Problem{Token: token, Text: text, Allowed: []string{}}
	switch {
	case rule.Pattern != "":
		if msg, bad := c.badRegex[token]; bad {
			p.Reason, p.Message = "pattern", fmt.Sprintf("%s: pattern %s is not a valid regular expression: %s", token, rule.Pattern, msg)
			return p, true
		}
		if !c.patterns[token].MatchString(text) {
			p.Reason, p.Message = "pattern", fmt.Sprintf("%s '%s' does not match the pattern %s", token, text, rule.Pattern)
			return p, true
		}
	case len(rule.Enum) > 0:
		if !c.member(text, rule.Enum) {
			p.Reason, p.Allowed = "enum", rule.Enum
			p.Suggestion = suggest.Closest(text, rule.Enum)
			p.Message = fmt.Sprintf("%s '%s' is not one of %s", token, text, joinAllowed(rule.Enum))
			if p.Suggestion != "" {
				p.Message += fmt.Sprintf("; did you mean '%s'?", p.Suggestion)
			}
			return p, true
		}
	case rule.Taxonomy != "":
		if rule.TaxonomyMissing {
			p.Reason = "taxonomy"
			p.Message = fmt.Sprintf("%s '%s' cannot be checked: taxonomy %s does not exist", token, text, rule.Taxonomy)
			return p, true
		}
		if c.member(text, rule.Values) {
			break
		}
		p.Allowed = rule.Values
		for dep, repl := range rule.Deprecated {
			if dep == text || (c.fold && strings.EqualFold(dep, text)) {
				p.Reason, p.Suggestion = "deprecated", repl
				p.Message = fmt.Sprintf("%s '%s' is a deprecated value of taxonomy %s; use '%s'", token, text, rule.Taxonomy, repl)
				return p, true
			}
		}
		p.Reason = "taxonomy"
		p.Suggestion = suggest.Closest(text, rule.Values)
		p.Message = fmt.Sprintf("%s '%s' is not a value of taxonomy %s", token, text, rule.Taxonomy)
		if p.Suggestion != "" {
			p.Message += fmt.Sprintf("; did you mean '%s'?", p.Suggestion)
		}
		p.Message += fmt.Sprintf(" (allowed: %s)", joinAllowed(rule.Values))
		return p, true
	default:
		if text == "" {
			p.Reason, p.Message = "pattern", fmt.Sprintf("%s is empty", token)
			return p, true
		}
	}
	return c.tooLong(token, text)
}

func (c *Convention) member(s string, set []string) bool {
	for _, v := range set {
		if v == s || (c.fold && strings.EqualFold(v, s)) {
			return true
		}
	}
	return false
}

// joinAllowed lists values for a message, eliding a long tail.
func joinAllowed(vs []string) string {
	if len(vs) == 0 {
		return "(none)"
	}
	if len(vs) > maxAllowedShown {
		return strings.Join(vs[:maxAllowedShown], ", ") + fmt.Sprintf(", … (%d more)", len(vs)-maxAllowedShown)
	}
	return strings.Join(vs, ", ")
}
