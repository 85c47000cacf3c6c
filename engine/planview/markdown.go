package planview

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/source"
)

// MaxComment is GitHub's limit on a comment body, in characters.
const MaxComment = 65536

// Markdown writes the plan as a pull-request comment: a summary table, then
// one collapsible section per live property (open when it holds a
// destructive step), each step under its plan number. When the body would exceed
// GitHub's comment limit, the detail sections are cut and the comment says
// how many changes were left out.
func Markdown(w io.Writer, p *plan.Plan, opts Options) error {
	var head bytes.Buffer
	title := cmp.Or(opts.Title, "mops plan")
	status := "✅ no changes"
	switch {
	case p.HasErrors():
		status = "❌ refused: the plan has errors"
	case !p.Empty():
		status = fmt.Sprintf("📝 %d change(s), %d destructive", len(p.Changes), p.Destructive())
	}
	fmt.Fprintf(&head, "### %s — `%s`: %s\n\n", title, p.SystemList(), status)
	switch {
	case p.Commit != "":
		fmt.Fprintf(&head, "Plan `%s` · commit `%s`\n\n", p.ID, short(p.Commit))
	case p.ID != "":
		fmt.Fprintf(&head, "Plan `%s`\n\n", p.ID)
	}
	gs := groups(p)
	if len(gs) > 0 {
		head.WriteString("| system | property | source | + create | ~ update | > migrate | - hide | - remove | records |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n")
		for _, g := range gs {
			c := Count(g.Changes)
			fmt.Fprintf(&head, "| %s | `%s.%s` | %s %s | %d | %d | %d | %d | %d | %d |\n", g.Target.System, g.Target.Object, g.Target.Property,
				escape(g.Source.Kind), escape(g.Source.Name), c.Create, c.Update, c.Migrate, c.Hide, c.Remove, c.Records)
		}
		head.WriteByte('\n')
	}
	if len(p.Problems) > 0 {
		head.WriteString("**Problems**\n\n")
		for _, pr := range p.Problems {
			icon := "❌"
			if pr.Severity == plan.Warning {
				icon = "⚠️"
			}
			fmt.Fprintf(&head, "- %s %s\n", icon, escape(pr.Message))
		}
		head.WriteByte('\n')
	}

	const footerRoom = 400
	var body bytes.Buffer
	left := 0
	for i, g := range gs {
		var sec bytes.Buffer
		// A property with a destructive step is open: reviewers must not
		// have to click to see what would be removed or moved.
		open := ""
		if slices.ContainsFunc(g.Changes, func(c plan.Change) bool { return c.Destructive }) {
			open = " open"
		}
		fmt.Fprintf(&sec, "<details%s><summary>%s <code>%s.%s</code> — %d change(s)</summary>\n\n", open, g.Target.System, g.Target.Object, g.Target.Property, len(g.Changes))
		for _, c := range g.Changes {
			// Not an ordered list: CommonMark renumbers "2. 5. 9." from 2,
			// and the numbers are the plan's execution order.
			fmt.Fprintf(&sec, "- **%d.** `%s %s` %s", c.Seq, c.Action.Symbol(), c.Action, escape(c.Summary))
			if c.Destructive {
				sec.WriteString(" **(destructive)**")
			}
			sec.WriteByte('\n')
		}
		sec.WriteString("\n</details>\n\n")
		if head.Len()+body.Len()+sec.Len()+footerRoom > MaxComment {
			for _, rest := range gs[i:] {
				left += len(rest.Changes)
			}
			break
		}
		body.Write(sec.Bytes())
	}
	if left > 0 {
		fmt.Fprintf(&body, "_%d change(s) not shown to stay within GitHub's comment size; run `mops plan` locally or see the job log for the full plan._\n\n", left)
	}
	if !p.Empty() && !p.HasErrors() {
		body.WriteString("<sub>Apply with `mops apply PLAN --approved-by ID` after review.</sub>\n")
	}
	if _, err := w.Write(head.Bytes()); err != nil {
		return err
	}
	_, err := w.Write(body.Bytes())
	return err
}

// escape keeps a message from breaking a table, injecting HTML or forging
// the page (source.Display).
func escape(s string) string {
	r := strings.NewReplacer("|", "\\|", "\n", " ", "<", "&lt;", ">", "&gt;")
	return r.Replace(source.Display(s))
}
