package plan_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
)

func sealed(t *testing.T, p *plan.Plan) *plan.Plan {
	t.Helper()
	if err := p.Seal(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestIDIsContent: the id names what a plan does and what it was made
// from, not when, where or by which mops, so the same plan made again has
// the same id, and any other plan another.
func TestIDIsContent(t *testing.T) {
	base := sealed(t, samplePlan())
	if len(base.ID) != plan.IDLength || strings.Trim(base.ID, "0123456789abcdef") != "" {
		t.Fatalf("id %q is not %d hexadecimal digits", base.ID, plan.IDLength)
	}
	same := samplePlan()
	same.CreatedAt = same.CreatedAt.Add(36 * time.Hour)
	same.MopsVersion = "1.9.0"
	same.Commit = "fedcba9876543210fedcba9876543210fedcba98"
	same.Dirty = true
	same.Problems = nil
	if sealed(t, same); same.ID != base.ID {
		t.Errorf("the same plan made later elsewhere has id %s, want %s", same.ID, base.ID)
	}
	if same.Hash == base.Hash {
		t.Errorf("two plan files made at different times share the hash %s; the hash covers every field", same.Hash)
	}
	others := map[string]func(p *plan.Plan){
		"records":      func(p *plan.Plan) { p.Changes[2].Records = 13 },
		"destructive":  func(p *plan.Plan) { p.Changes[4].Destructive = false },
		"source line":  func(p *plan.Plan) { p.Changes[0].Source.Line = 52 },
		"documents":    func(p *plan.Plan) { p.DesiredHash = "sha256:other" },
		"live":         func(p *plan.Plan) { p.Fingerprints["sandbox:contacts.region"] = "sha256:x" },
		"systems":      func(p *plan.Plan) { p.Systems = append(p.Systems, "salesforce-sandbox") },
		"step dropped": func(p *plan.Plan) { p.Changes = p.Changes[:4] },
	}
	for name, edit := range others {
		p := samplePlan()
		edit(p)
		if sealed(t, p); p.ID == base.ID {
			t.Errorf("%s: another plan has the same id %s", name, p.ID)
		}
	}
}

// TestCompare names each way a plan can differ from the plan derived
// again: every forgery a plan file can carry, and live or documents that
// moved.
func TestCompare(t *testing.T) {
	other := live.Binding{System: "sandbox", Object: "contacts", Property: "region"}
	cases := []struct {
		name string
		edit func(p *plan.Plan)
		want []string
	}{
		{"same plan", func(*plan.Plan) {}, nil},
		{"destructive flag removed", func(p *plan.Plan) { p.Changes[2].Destructive = false }, []string{
			`step 3 (migrate-records sandbox:contacts.lead_source "trade_show" -> "event"): destructive is false in the plan but true from the documents and live`,
		}},
		{"migration target edited", func(p *plan.Plan) { p.Changes[2].To = "" }, []string{
			`step 3 (migrate-records sandbox:contacts.lead_source "trade_show" -> ""): to is (none) in the plan but "event" from the documents and live`,
		}},
		{"label edited", func(p *plan.Plan) { p.Changes[1].After.Label = "Paid Social!" }, []string{
			`step 2 (update sandbox:contacts.lead_source "paid_social"): after is {"value":"paid_social","label":"Paid Social!","displayOrder":3,"hidden":false} in the plan but {"value":"paid_social","label":"Paid Social","displayOrder":3,"hidden":false} from the documents and live`,
		}},
		{"step added", func(p *plan.Plan) {
			p.Changes = append(p.Changes, plan.Change{Seq: 6, Action: plan.Remove, Target: p.Changes[0].Target, Value: "webinar", Destructive: true})
		}, []string{
			`step 6 (remove sandbox:contacts.lead_source "webinar") is not a step the documents and live give: it was added to the plan, or what it acts on was changed`,
		}},
		{"step dropped", func(p *plan.Plan) { p.Changes = p.Changes[:4] }, []string{
			`the plan lacks step 5 (remove sandbox:contacts.lead_source "print_ad"), which the documents and live give`,
		}},
		{"steps reordered", func(p *plan.Plan) {
			p.Changes[3], p.Changes[4] = p.Changes[4], p.Changes[3]
			p.Changes[3].Seq, p.Changes[4].Seq = 4, 5
		}, []string{
			`step 4 (remove sandbox:contacts.lead_source "print_ad") comes at position 4 of the plan, but the documents and live give it as step 5 at position 5`,
			`step 5 (hide sandbox:contacts.lead_source "trade_show") comes at position 5 of the plan, but the documents and live give it as step 4 at position 4`,
		}},
		{"target changed", func(p *plan.Plan) { p.Changes[0].Target = other }, []string{
			`step 1 (create sandbox:contacts.region "sales_prospecting") is not a step the documents and live give: it was added to the plan, or what it acts on was changed`,
			`the plan lacks step 1 (create sandbox:contacts.lead_source "sales_prospecting"), which the documents and live give`,
		}},
		{"source changed", func(p *plan.Plan) { p.Changes[4].Source.Kind = "Campaign" }, []string{
			`step 5 (remove sandbox:contacts.lead_source "print_ad"): source is {"kind":"Campaign","name":"lead-source","file":"taxonomies/lead-source.yaml","line":51} in the plan but {"kind":"Taxonomy","name":"lead-source","file":"taxonomies/lead-source.yaml","line":51} from the documents and live`,
		}},
		{"live moved", func(p *plan.Plan) { p.Fingerprints["sandbox:contacts.lead_source"] = "sha256:before" }, []string{
			"sandbox:contacts.lead_source changed in live since the plan was made",
		}},
		{"property deleted in live", func(p *plan.Plan) { p.Fingerprints["sandbox:contacts.lead_source"] = plan.Absent }, []string{
			"sandbox:contacts.lead_source changed in live since the plan was made",
		}},
		{"other documents", func(p *plan.Plan) { p.DesiredHash = "sha256:0123456789abcdef0123" }, []string{
			"the plan was made from other governance documents (desired hash sha256:0123456789ab; the documents give sha256:desired)",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := samplePlan()
			c.edit(p)
			var got []string
			for _, d := range plan.Compare(p, samplePlan()) {
				got = append(got, d.Message)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("differences (-want +got):\n%s", diff)
			}
		})
	}
	// Live deleted the property the plan read: the derived plan sees it absent.
	derived := samplePlan()
	derived.Fingerprints["sandbox:contacts.lead_source"] = plan.Absent
	got := plan.Compare(samplePlan(), derived)
	if !slices.ContainsFunc(got, func(d plan.Difference) bool {
		return d.Message == "sandbox:contacts.lead_source no longer exists in live"
	}) {
		t.Errorf("a deleted property is not named: %v", got)
	}
}
