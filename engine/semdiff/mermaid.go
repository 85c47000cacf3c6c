package semdiff

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/mops-dev/mops/engine/source"
)

// writeMermaid draws a merged lifecycle graph as a Mermaid
// stateDiagram-v2, which GitHub renders in comments. Added stages are
// green, removed ones red and dashed, changed ones yellow; added and
// removed transitions carry that word as their label. States get
// generated ids (s0, s1, ...) so that no stage id can clash with Mermaid's
// keywords.
func writeMermaid(b *bytes.Buffer, g *Graph) {
	ids := map[string]string{}
	for i, s := range g.Stages {
		ids[s.ID] = fmt.Sprintf("s%d", i)
	}
	b.WriteString("```mermaid\nstateDiagram-v2\n")
	b.WriteString("    classDef added fill:#d4f8d4,stroke:#1a7f37\n")
	b.WriteString("    classDef removed fill:#ffdcd7,stroke:#cf222e,stroke-dasharray:5 5\n")
	b.WriteString("    classDef changed fill:#fff1c2,stroke:#9a6700\n")
	for _, s := range g.Stages {
		fmt.Fprintf(b, "    state \"%s\" as %s\n", mermaidText(s.Label, s.ID), ids[s.ID])
	}
	for _, s := range g.Stages {
		if s.Initial {
			fmt.Fprintf(b, "    [*] --> %s\n", ids[s.ID])
		}
	}
	for _, t := range g.Transitions {
		from, okF := ids[t.From]
		to, okT := ids[t.To]
		if !okF || !okT {
			continue // a transition naming an unknown stage; validate reports it
		}
		label := ""
		if t.Status != "" {
			label = ": " + string(t.Status)
		}
		fmt.Fprintf(b, "    %s --> %s%s\n", from, to, label)
	}
	for _, s := range g.Stages {
		if s.Terminal && s.Status != Removed {
			fmt.Fprintf(b, "    %s --> [*]\n", ids[s.ID])
		}
	}
	for _, status := range []Action{Added, Removed, Changed} {
		var members []string
		for _, s := range g.Stages {
			if s.Status == status {
				members = append(members, ids[s.ID])
			}
		}
		if len(members) > 0 {
			fmt.Fprintf(b, "    class %s %s\n", strings.Join(members, ","), status)
		}
	}
	b.WriteString("```\n\n")
	b.WriteString("<sub>Green: added · red, dashed: removed · yellow: changed. Transitions are labelled added or removed.</sub>\n")
}

// mermaidText is a stage's label with its id, safe inside a quoted
// Mermaid state description.
func mermaidText(label, id string) string {
	t := id
	switch {
	case strings.EqualFold(label, id):
		t = label
	case label != "":
		t = label + " (" + id + ")"
	}
	return strings.NewReplacer(`"`, "#quot;", "\n", " ").Replace(source.Display(t))
}
