package apply_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
)

// TestForgedPlansAreRefused forges a plan in every way a plan file can be
// forged and re-seals it with the public plan package, so its hash and id
// are right again. Apply derives the plan from the documents and live and
// refuses each, naming the forged step, before anything is locked, logged
// or written to live.
func TestForgedPlansAreRefused(t *testing.T) {
	lifecycle := live.Binding{System: "sandbox", Object: "contacts", Property: "lifecyclestage"}
	cases := []struct {
		name      string
		forge     func(p *plan.Plan)
		approvers []string
		want      []string
	}{
		{
			// The attack of issue 14: every destructive flag dropped and the
			// migration's target emptied, so one approver seems enough and
			// the records would be cleared instead of moved.
			name: "destructive flags removed, migration target emptied",
			forge: func(p *plan.Plan) {
				for i := range p.Changes {
					p.Changes[i].Destructive = false
				}
				p.Changes[2].To = ""
			},
			approvers: []string{dana},
			want: []string{
				`step 3 (migrate-records sandbox:contacts.lead_source "trade_show" -> ""): destructive is false in the plan but true from the documents and live`,
				`step 3 (migrate-records sandbox:contacts.lead_source "trade_show" -> ""): to is (none) in the plan but "event" from the documents and live`,
				`step 5 (remove sandbox:contacts.lead_source "print_ad"): destructive is false in the plan but true from the documents and live`,
			},
		},
		{
			name:  "edited step",
			forge: func(p *plan.Plan) { p.Changes[1].After.Label = "Paid Social (forged)" },
			want:  []string{`step 2 (update sandbox:contacts.lead_source "paid_social"): after is {"value":"paid_social","label":"Paid Social (forged)"`},
		},
		{
			name: "added step",
			forge: func(p *plan.Plan) {
				webinar := live.Option{Value: "webinar", Label: "Webinar"}
				p.Changes = append(p.Changes, plan.Change{Seq: 6, Action: plan.Remove, Target: leadSrc, Value: "webinar", Before: &webinar,
					Destructive: true, Summary: "remove undeclared option \"webinar\"", Source: p.Changes[0].Source})
			},
			want: []string{`step 6 (remove sandbox:contacts.lead_source "webinar") is not a step the documents and live give`},
		},
		{
			name:  "removed step",
			forge: func(p *plan.Plan) { p.Changes = p.Changes[:4] },
			want:  []string{`the plan lacks step 5 (remove sandbox:contacts.lead_source "print_ad"), which the documents and live give`},
		},
		{
			name: "reordered steps",
			forge: func(p *plan.Plan) {
				p.Changes[2], p.Changes[4] = p.Changes[4], p.Changes[2]
				p.Changes[2].Seq, p.Changes[4].Seq = 3, 5
			},
			want: []string{
				`step 3 (remove sandbox:contacts.lead_source "print_ad") comes at position 3 of the plan, but the documents and live give it as step 5 at position 5`,
				`step 5 (migrate-records sandbox:contacts.lead_source "trade_show" -> "event") comes at position 5 of the plan, but the documents and live give it as step 3 at position 3`,
			},
		},
		{
			name:  "changed target",
			forge: func(p *plan.Plan) { p.Changes[0].Target = lifecycle },
			want: []string{
				`step 1 (create sandbox:contacts.lifecyclestage "sales_prospecting") is not a step the documents and live give`,
				`the plan lacks step 1 (create sandbox:contacts.lead_source "sales_prospecting")`,
			},
		},
		{
			// Another source means another RACI activity, so other approvers.
			name:  "changed source",
			forge: func(p *plan.Plan) { p.Changes[4].Source.Kind = "Campaign" },
			want:  []string{`step 5 (remove sandbox:contacts.lead_source "print_ad"): source is {"kind":"Campaign"`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, nil)
			before := f.live.State()
			forged := resealed(t, f.Plan(), c.forge)
			req := f.Request(forged)
			if c.approvers != nil {
				req.Approvers = c.approvers
			}
			_, err := f.Apply(req)
			var r *apply.Refusal
			if !errors.As(err, &r) {
				t.Fatalf("apply error %v, want a refusal", err)
			}
			if !strings.Contains(r.Reason, "the plan is not the plan the documents and live give now") {
				t.Errorf("reason %q does not say the plan is not the plan to apply", r.Reason)
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("refusal lacks %q:\n%s", w, msg)
				}
			}
			if diff := cmp.Diff(before, f.live.State()); diff != "" {
				t.Errorf("a forged plan changed live:\n%s", diff)
			}
			for _, c := range f.live.Calls() {
				if c.Op == "apply" || c.Op == "migrate" || c.Op == "batch" {
					t.Errorf("a forged plan made a live write: %s", c)
				}
			}
			if _, err := os.Stat(filepath.Dir(f.LogPath)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a forged plan wrote %s (change log or lock)", filepath.Dir(f.LogPath))
			}
		})
	}
}

// resealed forges p and seals it again the way anyone can: with the
// public plan package, through a plan file.
func resealed(t *testing.T, p *plan.Plan, forge func(*plan.Plan)) *plan.Plan {
	t.Helper()
	forge(p)
	path := filepath.Join(t.TempDir(), "forged.json")
	if err := plan.Write(path, p); err != nil {
		t.Fatal(err)
	}
	got, err := plan.Read(path)
	if err != nil {
		t.Fatalf("the forged plan does not read back: %v", err)
	}
	return got
}

// TestPlanOfOtherDocuments: a plan whose commit holds other documents than
// the ones it says it was made from, and a repository whose documents
// changed since the plan, are refused; the latter with the steps that
// differ.
func TestPlanOfOtherDocuments(t *testing.T) {
	t.Run("commit documents differ from the plan's", func(t *testing.T) {
		f := newFixture(t, nil)
		p := f.Plan()
		req := f.Request(p)
		req.Planned = otherDocuments(t)
		p.Commit = "1111111111111111111111111111111111111111"
		_, err := f.Apply(req)
		if err == nil || !strings.Contains(err.Error(), "the plan says it was made at commit 111111111111, but the documents of that commit are not the ones it was made from") {
			t.Fatalf("apply error %v", err)
		}
	})
	t.Run("repository documents changed", func(t *testing.T) {
		f := newFixture(t, nil)
		p := f.Plan()
		p.Commit = "1111111111111111111111111111111111111111"
		req := f.Request(p)
		req.Commit = "2222222222222222222222222222222222222222"
		req.Bundle = otherDocuments(t)
		_, err := f.Apply(req)
		for _, w := range []string{
			"the governance documents changed since the plan was made (at commit 111111111111; the repository is at 222222222222)",
			"the plan was made from other governance documents",
			`step 2 (update sandbox:contacts.lead_source "paid_social") is not a step the documents and live give`,
		} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("apply error lacks %q:\n%v", w, err)
			}
		}
	})
	t.Run("same documents at another commit", func(t *testing.T) {
		// A pull request's plan applied after the merge: the commit is
		// the merge's, the documents are the ones reviewed.
		f := newFixture(t, nil)
		p := f.Plan()
		p.Commit = "1111111111111111111111111111111111111111"
		req := f.Request(p)
		req.Planned = mustBundle(t)
		req.Commit = "2222222222222222222222222222222222222222"
		res, err := f.Apply(req)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Steps) != 5 || res.Plan.ID != p.ID {
			t.Errorf("applied %d steps of plan %s, want the 5 of plan %s", len(res.Steps), res.Plan.ID, p.ID)
		}
	})
}
