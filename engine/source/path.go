package source

import (
	"bytes"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ParsePath splits a document path into its segments. It accepts the dotted
// form policies use ("spec.values[3].label") and JSON pointers
// ("/spec/values/3/label", with ~0 and ~1 escapes).
func ParsePath(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	if strings.HasPrefix(p, "/") {
		parts := strings.Split(p[1:], "/")
		for i, s := range parts {
			parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
		}
		return parts
	}
	var segs []string
	for _, part := range strings.Split(p, ".") {
		for part != "" {
			open := strings.IndexByte(part, '[')
			if open < 0 {
				segs = append(segs, part)
				break
			}
			if open > 0 {
				segs = append(segs, part[:open])
			}
			end := strings.IndexByte(part[open:], ']')
			if end < 0 {
				segs = append(segs, part[open:])
				break
			}
			segs = append(segs, part[open+1:open+end])
			part = part[open+end+1:]
		}
	}
	return segs
}

// FormatPath writes segments in the dotted form users read:
// spec.values[3].label.
func FormatPath(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		if _, err := strconv.Atoi(s); err == nil {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// Lookup walks segs from n and returns the deepest node it reaches and how
// many segments matched. For a mapping entry the value node is returned;
// aliases are followed.
func Lookup(n *yaml.Node, segs []string) (*yaml.Node, int) {
	cur := deref(n)
	for i, seg := range segs {
		next := child(cur, seg)
		if next == nil {
			return cur, i
		}
		cur = deref(next)
	}
	return cur, len(segs)
}

// KeyNode returns the key node of the mapping entry named by segs, or nil.
// Findings about a field (an unknown field, say) point at its key.
func KeyNode(n *yaml.Node, segs []string) *yaml.Node {
	if len(segs) == 0 {
		return nil
	}
	parent, matched := Lookup(n, segs[:len(segs)-1])
	if matched != len(segs)-1 || parent.Kind != yaml.MappingNode {
		return nil
	}
	last := segs[len(segs)-1]
	for i := 0; i+1 < len(parent.Content); i += 2 {
		if parent.Content[i].Value == last {
			return parent.Content[i]
		}
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && (n.Kind == yaml.DocumentNode || n.Kind == yaml.AliasNode) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
			continue
		}
		if len(n.Content) == 0 {
			return n
		}
		n = n.Content[0]
	}
	return n
}

func child(n *yaml.Node, seg string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		idx, err := strconv.Atoi(seg)
		if err == nil && idx >= 0 && idx < len(n.Content) {
			return n.Content[idx]
		}
	}
	return nil
}

// Line returns line n (1-based) of src without its line break; ok is
// false when src has no such line.
func Line(src []byte, n int) (line string, ok bool) {
	if src == nil || n <= 0 {
		return "", false
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(string(src), "\r"), true
}
