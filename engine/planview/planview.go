// Package planview renders plans for people (text, markdown for a
// pull-request comment) and machines (json, the plan file format). Human
// output is drawn from the same plan data the JSON carries, so the two
// cannot drift apart.
package planview

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/format"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/source"
)

// Options tune rendering.
type Options struct {
	// Color enables ANSI colour in text output.
	Color bool
	// Title overrides the heading ("mops plan", "mops drift").
	Title string
}

// PlanFormatSet is the formats of a plan: text, markdown (a pull-request
// comment) and json (the plan file format).
func PlanFormatSet() format.Set[*plan.Plan, Options] {
	return format.New("plan", map[string]format.Writer[*plan.Plan, Options]{
		"text":     Text,
		"markdown": Markdown,
		"json":     writePlanJSON,
	})
}

func writePlanJSON(w io.Writer, p *plan.Plan, _ Options) error {
	data, err := plan.Marshal(p)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// group is the changes of one live property, in execution order.
type group struct {
	Target  live.Binding
	Source  plan.Source
	Changes []plan.Change
}

func groups(p *plan.Plan) []group {
	byTarget := map[live.Binding]*group{}
	var out []*group
	for _, c := range p.Changes {
		g := byTarget[c.Target]
		if g == nil {
			g = &group{Target: c.Target, Source: c.Source}
			byTarget[c.Target] = g
			out = append(out, g)
		}
		g.Changes = append(g.Changes, c)
	}
	slices.SortFunc(out, func(a, b *group) int { return a.Target.Compare(b.Target) })
	res := make([]group, len(out))
	for i, g := range out {
		res[i] = *g
	}
	return res
}

// Counts tallies changes by action and the records they affect.
type Counts struct {
	Create, Update, Migrate, Hide, Remove, Records int
}

// Count tallies p's changes.
func Count(cs []plan.Change) Counts {
	var c Counts
	for _, ch := range cs {
		switch ch.Action {
		case plan.Create:
			c.Create++
		case plan.Update:
			c.Update++
		case plan.MigrateRecords:
			c.Migrate++
		case plan.Hide:
			c.Hide++
		case plan.Remove:
			c.Remove++
		}
		c.Records += ch.Records
	}
	return c
}

func (c Counts) String() string {
	return fmt.Sprintf("%d to create, %d to update, %d migration(s) moving %d record(s), %d to hide, %d to remove",
		c.Create, c.Update, c.Migrate, c.Records, c.Hide, c.Remove)
}

const (
	reset  = "\x1b[0m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	red    = "\x1b[31m"
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
)

func actionColor(a plan.Action) string {
	switch a {
	case plan.Create:
		return green
	case plan.Update:
		return yellow
	case plan.MigrateRecords:
		return cyan
	}
	return red
}

// Text writes a terraform-like plan: one block per live property, each
// change with its marker, then problems and a summary line.
func Text(w io.Writer, p *plan.Plan, opts Options) error {
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + reset
	}
	var b bytes.Buffer
	title := cmp.Or(opts.Title, "mops plan")
	word := "system"
	if len(p.Systems) > 1 {
		word = "systems"
	}
	fmt.Fprintf(&b, "%s: %s %s", paint(bold, title), word, p.SystemList())
	if p.Commit != "" {
		fmt.Fprintf(&b, ", commit %s", short(p.Commit))
		if p.Dirty {
			b.WriteString(" (uncommitted changes)")
		}
	}
	b.WriteString("\n\n")
	system := ""
	for _, g := range groups(p) {
		if len(p.Systems) > 1 && g.Target.System != system {
			system = g.Target.System
			fmt.Fprintf(&b, "%s\n", paint(bold+cyan, system))
		}
		fmt.Fprintf(&b, "  %s  %s\n", paint(bold, source.Display(g.Target.Object+"."+g.Target.Property)), paint(dim, source.Display(sourceText(g.Source))))
		for _, c := range g.Changes {
			marker := paint(actionColor(c.Action), c.Action.Symbol()+" "+string(c.Action))
			line := fmt.Sprintf("    %-3s %s  %s", fmt.Sprintf("%d.", c.Seq), marker, source.Display(c.Summary))
			if c.Destructive {
				line += paint(red, "  [destructive]")
			}
			b.WriteString(line + "\n")
			if c.Action == plan.Update && c.Value == "" {
				fmt.Fprintf(&b, "          %s\n          %s\n", paint(dim, "before: "+source.Display(strings.Join(c.OrderBefore, ", "))), "after:  "+source.Display(strings.Join(c.OrderAfter, ", ")))
			}
		}
		b.WriteByte('\n')
	}
	if len(p.Problems) > 0 {
		b.WriteString(paint(bold, "Problems") + "\n")
		for _, pr := range p.Problems {
			sev := paint(red, "✖ error")
			if pr.Severity == plan.Warning {
				sev = paint(yellow, "! warning")
			}
			fmt.Fprintf(&b, "  %s  %s\n", sev, source.Display(pr.Message))
			if pr.Source.File != "" {
				fmt.Fprintf(&b, "           %s\n", paint(dim, source.Display(sourceText(pr.Source))))
			}
		}
		b.WriteByte('\n')
	}
	switch {
	case p.HasErrors():
		fmt.Fprintf(&b, "%s: the plan has errors and cannot be applied.\n", paint(red, "Plan refused"))
	case p.Empty():
		verb := "matches"
		if len(p.Systems) > 1 {
			verb = "match"
		}
		fmt.Fprintf(&b, "%s %s %s the repository.\n", paint(green, "No changes."), p.SystemList(), verb)
	default:
		fmt.Fprintf(&b, "%s %s.\n", paint(bold, "Plan "+p.ID+":"), Count(p.Changes))
	}
	_, err := w.Write(b.Bytes())
	return err
}

func sourceText(s plan.Source) string {
	if s.Kind == "" {
		return ""
	}
	if s.File == "" {
		return s.Kind + " " + s.Name
	}
	return fmt.Sprintf("%s %s (%s:%d)", s.Kind, s.Name, s.File, s.Line)
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}
