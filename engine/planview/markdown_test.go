package planview

import (
	"regexp"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
)

// TestMarkdownKeepsStepNumbers: the steps of one property are not
// consecutive in a plan of two systems (2, 5, 9). A CommonMark ordered list
// would render them 2, 3, 4; the comment must show the plan's numbers.
// The section holding a destructive step is open.
func TestMarkdownKeepsStepNumbers(t *testing.T) {
	lead := live.Binding{System: "sandbox", Object: "contacts", Property: "lead_source"}
	region := live.Binding{System: "sandbox", Object: "contacts", Property: "region"}
	src := plan.Source{Kind: "Taxonomy", Name: "lead-source"}
	p := &plan.Plan{Systems: []string{"sandbox"}, Changes: []plan.Change{
		{Seq: 1, Action: plan.Create, Target: region, Summary: "add option \"latam\"", Source: plan.Source{Kind: "Taxonomy", Name: "region"}},
		{Seq: 2, Action: plan.Create, Target: lead, Summary: "add option \"event\"", Source: src},
		{Seq: 5, Action: plan.MigrateRecords, Target: lead, Summary: "move 12 record(s) from \"trade_show\" to \"event\"", Destructive: true, Records: 12, Source: src},
		{Seq: 9, Action: plan.Remove, Target: lead, Summary: "remove undeclared option \"print_ad\"", Destructive: true, Source: src},
	}}
	var b strings.Builder
	if err := Markdown(&b, p, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if m := regexp.MustCompile(`(?m)^\s*\d+[.)] `).FindString(out); m != "" {
		t.Errorf("the comment has an ordered list item %q, which CommonMark renumbers:\n%s", m, out)
	}
	for _, want := range []string{"- **2.** `+ create`", "- **5.** `> migrate-records`", "- **9.** `- remove`"} {
		if !strings.Contains(out, want) {
			t.Errorf("the comment lacks step %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "<details open><summary>sandbox <code>contacts.lead_source</code>") {
		t.Errorf("the section with destructive steps is collapsed:\n%s", out)
	}
	if !strings.Contains(out, "<details><summary>sandbox <code>contacts.region</code>") {
		t.Errorf("the section without destructive steps should stay collapsed:\n%s", out)
	}
}
