package schema

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
	"github.com/mops-dev/mops/engine/suggest"
)

// explain turns one schema violation into findings worded for a marketer:
// one, except for unknown fields, which get one each.
func (v *Validator) explain(d *model.Document, ve *jsonschema.ValidationError) []source.Finding {
	switch lastSegment(ve.KeywordLocation) {
	case "additionalProperties", "unevaluatedProperties":
		if extra := quoted(ve.Message); len(extra) > 0 {
			return v.unknownFields(d, ve, extra)
		}
	}
	return []source.Finding{v.explainOne(d, ve)}
}

// explainOne words a violation of any keyword but an unknown field.
func (v *Validator) explainOne(d *model.Document, ve *jsonschema.ValidationError) source.Finding {
	segs := source.ParsePath(ve.InstanceLocation)
	path := source.FormatPath(segs)
	keyword := lastSegment(ve.KeywordLocation)
	sub := v.subschema(ve.AbsoluteKeywordLocation)
	value, _ := lookupValue(d.Value, segs)
	show := func(p string) string {
		if p == "" {
			return "the document"
		}
		return p
	}

	switch keyword {
	case "required":
		missing := quoted(ve.Message)
		if len(missing) == 0 {
			break
		}
		fields := make([]string, len(missing))
		for i, m := range missing {
			fields[i] = join(path, m)
		}
		verb := "is"
		if len(fields) > 1 {
			verb = "are"
		}
		f := d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s %s required", strings.Join(fields, ", "), verb))
		f.Path = fields[0]
		return f
	case "enum":
		opts := enumValues(sub)
		msg := fmt.Sprintf("%s must be one of %s; got %s", show(path), strings.Join(opts, ", "), display(value))
		if s, ok := value.(string); ok {
			if c := suggest.Closest(s, unquote(opts)); c != "" {
				msg += fmt.Sprintf("; did you mean %q?", c)
			}
		}
		return d.Finding(source.RuleSchema, source.Deny, path, msg)
	case "const":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s must be %s; got %s", show(path), display(sub), display(value)))
	case "type":
		want, _ := sub.(string)
		if list, ok := sub.([]any); ok {
			var names []string
			for _, t := range list {
				names = append(names, article(fmt.Sprint(t)))
			}
			want = strings.Join(names, " or ")
		} else {
			want = article(want)
		}
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s must be %s; got %s", show(path), want, describe(value)))
	case "pattern":
		msg := fmt.Sprintf("%s %s does not have the expected form (pattern %v)", show(path), display(value), sub)
		if hint := v.hint(ve.AbsoluteKeywordLocation); hint != "" {
			msg = fmt.Sprintf("%s %s: %s", show(path), display(value), hint)
		}
		return d.Finding(source.RuleSchema, source.Deny, path, msg)
	case "format":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s %s is not a valid %s", show(path), display(value), formatName(fmt.Sprint(sub))))
	case "minItems":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s needs at least %v item(s)", show(path), sub))
	case "maxItems":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s allows at most %v item(s)", show(path), sub))
	case "minLength":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s must be at least %v character(s) long", show(path), sub))
	case "maxLength":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s must be at most %v characters long; got %d", show(path), sub, len([]rune(fmt.Sprint(value)))))
	case "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s must be %s %s; got %s", show(path), boundWord(keyword), display(sub), display(value)))
	case "uniqueItems":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s must not repeat items", show(path)))
	case "minProperties":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s needs at least %v entr(ies)", show(path), sub))
	case "false":
		return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s is not allowed here", show(path)))
	}
	return d.Finding(source.RuleSchema, source.Deny, path, fmt.Sprintf("%s: %s", show(path), ve.Message))
}

// unknownFields reports each field an additionalProperties or
// unevaluatedProperties violation names, at its key: one violation lists
// every unknown field of the object.
func (v *Validator) unknownFields(d *model.Document, ve *jsonschema.ValidationError, extra []string) []source.Finding {
	path := source.FormatPath(source.ParsePath(ve.InstanceLocation))
	slices.Sort(extra)
	allowed := v.allowedFields(ve.AbsoluteKeywordLocation)
	out := make([]source.Finding, 0, len(extra))
	for _, name := range extra {
		field := join(path, name)
		msg := fmt.Sprintf("%s is not a known field", field)
		if s := suggest.Closest(name, allowed); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		if len(allowed) > 0 {
			msg += fmt.Sprintf(" (allowed here: %s)", strings.Join(allowed, ", "))
		}
		f := d.Finding(source.RuleSchema, source.Deny, field, msg)
		out = append(out, f.At(d.KeyPosOf(field)))
	}
	return out
}

// subschema resolves an absolute keyword location ("…/x.schema.json#/a/b")
// in the raw schema files.
func (v *Validator) subschema(loc string) any {
	file, ptr, _ := strings.Cut(loc, "#")
	node := v.raw[file]
	for _, seg := range source.ParsePath(ptr) {
		switch n := node.(type) {
		case map[string]any:
			node = n[seg]
		case []any:
			var i int
			if _, err := fmt.Sscan(seg, &i); err != nil || i < 0 || i >= len(n) {
				return nil
			}
			node = n[i]
		default:
			return nil
		}
	}
	return node
}

// allowedFields lists the properties declared beside an
// additionalProperties/unevaluatedProperties keyword.
func (v *Validator) allowedFields(loc string) []string {
	parent, _ := v.subschema(parentLocation(loc)).(map[string]any)
	var out []string
	collect := func(s map[string]any) {
		props, _ := s["properties"].(map[string]any)
		for k := range props {
			out = append(out, k)
		}
	}
	if parent != nil {
		collect(parent)
		// unevaluatedProperties also sees properties declared in allOf
		// branches and in the common definitions they refer to.
		for _, key := range []string{"allOf", "anyOf", "oneOf"} {
			list, _ := parent[key].([]any)
			for _, item := range list {
				if m, ok := item.(map[string]any); ok {
					collect(m)
					if ref, ok := m["$ref"].(string); ok {
						if r, ok := v.subschema(resolveRef(loc, ref)).(map[string]any); ok {
							collect(r)
						}
					}
				}
			}
		}
		if ref, ok := parent["$ref"].(string); ok {
			if r, ok := v.subschema(resolveRef(loc, ref)).(map[string]any); ok {
				collect(r)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// hint returns the schema's own wording for a pattern ("x-hint", a mops
// extension keyword that validators ignore), or its description.
func (v *Validator) hint(loc string) string {
	parent, _ := v.subschema(parentLocation(loc)).(map[string]any)
	if h, ok := parent["x-hint"].(string); ok {
		return h
	}
	return ""
}

func resolveRef(loc, ref string) string {
	file, _, _ := strings.Cut(loc, "#")
	if strings.HasPrefix(ref, "#") {
		return file + ref
	}
	refFile, frag, _ := strings.Cut(ref, "#")
	if i := strings.LastIndex(file, "/"); i >= 0 && !strings.Contains(refFile, "://") {
		refFile = file[:i+1] + refFile
	}
	return refFile + "#" + frag
}

func parentLocation(loc string) string {
	i := strings.LastIndex(loc, "/")
	if i < 0 {
		return loc
	}
	return loc[:i]
}

func lastSegment(loc string) string {
	return loc[strings.LastIndex(loc, "/")+1:]
}

func lookupValue(v any, segs []string) (any, bool) {
	for _, s := range segs {
		switch n := v.(type) {
		case map[string]any:
			v = n[s]
		case []any:
			var i int
			if _, err := fmt.Sscan(s, &i); err != nil || i < 0 || i >= len(n) {
				return nil, false
			}
			v = n[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// quoted returns the single-quoted names in a jsonschema message, such as
// "missing properties: 'label', 'value'".
func quoted(msg string) []string {
	var out []string
	for {
		i := strings.IndexByte(msg, '\'')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(msg[i+1:], '\'')
		if j < 0 {
			return out
		}
		out = append(out, msg[i+1:i+1+j])
		msg = msg[i+j+2:]
	}
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func enumValues(sub any) []string {
	list, _ := sub.([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, display(v))
	}
	return out
}

func unquote(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.Trim(s, "'")
	}
	return out
}

// display shows a value in a message: a text quoted and cut to
// source.QuoteMax characters (the renderers escape what it holds), a
// whole number without an exponent.
func display(v any) string {
	switch x := v.(type) {
	case string:
		return "'" + source.Cut(x, source.QuoteMax) + "'"
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
	case nil:
		return "nothing"
	}
	return fmt.Sprint(v)
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return "the text " + display(x)
	case bool:
		return fmt.Sprintf("%t", x)
	case int64, float64:
		return fmt.Sprintf("the number %v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case nil:
		return "nothing (null)"
	}
	return fmt.Sprintf("%v", v)
}

func article(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "string":
		return "a text"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	case "null":
		return "null"
	}
	return t
}

func formatName(f string) string {
	switch f {
	case "date":
		return "date (expected YYYY-MM-DD)"
	case "date-time":
		return "date and time (expected RFC 3339, e.g. 2027-01-05T00:00:00Z)"
	case "email":
		return "email address"
	case "uri":
		return "URL"
	}
	return f
}

func boundWord(keyword string) string {
	switch keyword {
	case "minimum":
		return "at least"
	case "exclusiveMinimum":
		return "greater than"
	case "maximum":
		return "at most"
	}
	return "less than"
}
