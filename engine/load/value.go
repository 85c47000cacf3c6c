package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// errAliasBudget is returned when alias expansion grows a document beyond
// its budget (the "billion laughs" attack).
type errAliasBudget struct {
	node   *yaml.Node
	budget int
}

func (e *errAliasBudget) Error() string {
	return fmt.Sprintf("aliases expand this document beyond %d nodes (an alias that contains itself, or anchors used to multiply content); write the content out instead", e.budget)
}

// converter turns a yaml.Node tree into JSON-compatible values, counting
// every node produced so that alias expansion stays bounded.
type converter struct {
	budget int
	used   int
}

func (c *converter) value(n *yaml.Node) (any, error) {
	c.used++
	if c.used > c.budget {
		return nil, &errAliasBudget{node: n, budget: c.budget}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0])
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		return c.value(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := c.value(item)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		if err := c.mapping(n, out); err != nil {
			return nil, err
		}
		return out, nil
	default:
		return scalar(n), nil
	}
}

// mapping fills out from mapping node n, applying YAML merge keys (<<)
// first so that explicit keys win, as YAML specifies.
func (c *converter) mapping(n *yaml.Node, out map[string]any) error {
	c.used++
	if c.used > c.budget {
		return &errAliasBudget{node: n, budget: c.budget}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Tag != "!!merge" {
			continue
		}
		var sources []*yaml.Node
		target := resolve(v)
		if target.Kind == yaml.SequenceNode {
			sources = target.Content
		} else {
			sources = []*yaml.Node{target}
		}
		for _, s := range sources {
			s = resolve(s)
			if s.Kind != yaml.MappingNode {
				continue
			}
			if err := c.mapping(s, out); err != nil {
				return err
			}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Tag == "!!merge" {
			continue
		}
		val, err := c.value(v)
		if err != nil {
			return err
		}
		out[resolve(k).Value] = val
	}
	return nil
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// scalar converts a scalar by its resolved tag. Timestamps stay strings:
// governance dates are compared as ISO dates by policies and schemas.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return n.Value
		}
		return b
	case "!!int":
		s := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(s, 0, 64); err == nil {
			return i
		}
		if strings.HasPrefix(s, "0o") {
			if i, err := strconv.ParseInt(s[2:], 8, 64); err == nil {
				return i
			}
		}
		return n.Value
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return n.Value
		}
		return f
	default:
		return n.Value
	}
}
