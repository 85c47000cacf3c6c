package importer

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
)

// node is a YAML node; documents are built as node trees so that key order
// and quoting are fixed, and output is the same bytes every time.
type node = yaml.Node

// value is one Taxonomy value or LifecycleModel stage to write.
type value struct {
	Value, Label, Description string
	Deprecated                bool
	ReplacedBy                string
}

// str is a string scalar. Strings that YAML 1.1 tools would read as
// booleans (yes, no, on, off, y, n) are double-quoted, although YAML 1.2
// and mops read them as strings either way.
func str(s string) *node {
	n := &node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off":
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func boolean(b bool) *node {
	return &node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(b)}
}

// mapping builds a mapping from key, value pairs, in order.
func mapping(kv ...any) *node {
	m := &node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		var v *node
		switch x := kv[i+1].(type) {
		case *node:
			v = x
		case string:
			v = str(x)
		case bool:
			v = boolean(x)
		default:
			panic(fmt.Sprintf("importer: mapping value of type %T", x))
		}
		m.Content = append(m.Content, str(kv[i].(string)), v)
	}
	return m
}

func sequence(items ...*node) *node {
	return &node{Kind: yaml.SequenceNode, Content: items}
}

func envelope(kind model.Kind, name string, spec *node) *node {
	return mapping(
		"apiVersion", model.APIVersion,
		"kind", string(kind),
		"metadata", mapping("name", name),
		"spec", spec,
	)
}

func bindings(b live.Binding) *node {
	return sequence(mapping("system", b.System, "object", b.Object, "property", b.Property))
}

// taxonomyDoc is a Taxonomy document.
func taxonomyDoc(name, label, valueCase string, values []value, b live.Binding) *node {
	vs := sequence()
	for _, v := range values {
		m := mapping("value", v.Value, "label", v.Label)
		if v.Description != "" {
			m.Content = append(m.Content, str("description"), str(v.Description))
		}
		if v.Deprecated {
			m.Content = append(m.Content, str("deprecated"), boolean(true), str("replacedBy"), str(v.ReplacedBy))
		}
		vs.Content = append(vs.Content, m)
	}
	return envelope(model.KindTaxonomy, name, mapping(
		"label", label,
		"valueCase", valueCase,
		"values", vs,
		"bindings", bindings(b),
	))
}

// lifecycleDoc is a LifecycleModel document: stages in display order, the
// last one terminal, no transitions (each stage moves to the next).
func lifecycleDoc(name, object string, values []value, b live.Binding) *node {
	stages := sequence()
	for i, v := range values {
		m := mapping("id", v.Value, "label", v.Label)
		if v.Description != "" {
			m.Content = append(m.Content, str("entryCriteria"), str(v.Description))
		}
		if i == len(values)-1 {
			m.Content = append(m.Content, str("terminal"), boolean(true))
		}
		stages.Content = append(stages.Content, m)
	}
	return envelope(model.KindLifecycleModel, name, mapping(
		"object", object,
		"stages", stages,
		"bindings", bindings(b),
	))
}

// encode writes the header lines as '#' comments, then the document.
func encode(head []string, doc *node) ([]byte, error) {
	var buf bytes.Buffer
	for _, l := range head {
		if l == "" {
			buf.WriteString("#\n")
			continue
		}
		buf.WriteString("# " + strings.ReplaceAll(l, "\n", " ") + "\n")
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
