package salesforce_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/plan"
)

// The tests in this file turn on a behaviour of real orgs in the emulator
// and run plan -> apply -> plan through the client, showing that it
// converges or reports exactly what remains.

// TestPicklistValuesCompareIgnoringCase: records hold "trade show" and
// "TRADE SHOW" beside "Trade Show", and the lowest Id spells it in lower
// case, so that is how the aggregate answer names the group. Plan counts
// all eight, apply moves all eight, and none is left behind a hidden
// value.
func TestPicklistValuesCompareIgnoringCase(t *testing.T) {
	st := seedState(t)
	lead := st.Objects["Lead"].Records
	lead[0].Fields["LeadSource"] = "trade show"
	lead[4].Fields["LeadSource"] = "TRADE SHOW" // was Web
	f := newFixture(t, st)
	moved := f.e.sb.Holders("Lead", "LeadSource", "Trade Show")
	p := f.Plan()
	if want := `migrate-records sf:Lead.LeadSource value="" Trade Show->Event records=8`; !slices.Contains(whats(p.Changes), want) {
		t.Fatalf("plan lacks %s:\n%s", want, strings.Join(whats(p.Changes), "\n"))
	}
	if _, err := f.Apply(f.Request(p)); err != nil {
		t.Fatal(err)
	}
	if p2 := f.Plan(); !p2.Empty() {
		t.Fatalf("not converged:\n%s", strings.Join(whats(p2.Changes), "\n"))
	}
	if left := f.e.sb.Holders("Lead", "LeadSource", "Trade Show"); len(left) > 0 {
		t.Fatalf("records still hold a spelling of Trade Show: %v", left)
	}
	for _, id := range moved {
		if v, _ := f.e.sb.RecordValue("Lead", id, "LeadSource"); v != "Event" {
			t.Errorf("%s holds %q, want Event", id, v)
		}
	}
}

// TestCountsNeverPageAnAggregate: 2,001 leads hold a stray LeadSource
// each (an unrestricted picklist keeps any value), so grouping every
// value would need more than one batch, which Salesforce refuses for a
// GROUP BY. Plan counts only the values it asks about and converges.
func TestCountsNeverPageAnAggregate(t *testing.T) {
	st := seedState(t)
	lead := st.Objects["Lead"]
	for i := range sfapi.MaxQueryBatch + 1 {
		lead.Records = append(lead.Records, &sfsandbox.Record{
			ID: fmt.Sprintf("00Q9%011dAAA", i), Fields: map[string]string{"LeadSource": fmt.Sprintf("import-%d", i)},
		})
	}
	f := newFixture(t, st)
	f.Converge()
	if left := f.e.sb.Holders("Lead", "LeadSource", "Trade Show"); len(left) > 0 {
		t.Fatalf("records still on Trade Show: %v", left)
	}
	if n := len(f.e.sb.Holders("Lead", "LeadSource", "import-2000")); n != 1 {
		t.Fatalf("a stray value changed: %d holders of import-2000", n)
	}
}

// converting marks the first n Trade Show leads of st converted and
// returns their Ids.
func converting(st *sfsandbox.State, n int) []string {
	var ids []string
	for _, r := range st.Objects["Lead"].Records {
		if len(ids) < n && r.Fields["LeadSource"] == "Trade Show" {
			r.Fields["IsConverted"] = "true"
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// problems renders a plan's problems as "severity: message".
func problems(p *plan.Plan) string {
	var out []string
	for _, pr := range p.Problems {
		out = append(out, string(pr.Severity)+": "+pr.Message)
	}
	return strings.Join(out, "\n")
}

// TestConvertedLeadsKeepTheirValue: two Trade Show leads are converted,
// and Salesforce refuses to update a converted lead. Plan moves the five
// others and says the two keep the value; apply converges with no record
// refused, and the converted leads still hold Trade Show.
func TestConvertedLeadsKeepTheirValue(t *testing.T) {
	st := seedState(t)
	conv := converting(st, 2)
	st.User = &sfsandbox.User{Withheld: []string{"ViewEditConvertedLeads"}}
	f := newFixture(t, st)
	p := f.Plan()
	if want := `migrate-records sf:Lead.LeadSource value="" Trade Show->Event records=5`; !slices.Contains(whats(p.Changes), want) {
		t.Fatalf("plan lacks %s:\n%s", want, strings.Join(whats(p.Changes), "\n"))
	}
	if want := `warning: sf:Lead.LeadSource: 2 converted lead(s) hold "Trade Show" and will keep it`; !strings.Contains(problems(p), want) {
		t.Fatalf("problems lack %q:\n%s", want, problems(p))
	}
	res, err := f.Apply(f.Request(p))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Steps {
		if s.Err != nil {
			t.Errorf("step %s: %v", what(s.Change), s.Err)
		}
	}
	if p2 := f.Plan(); !p2.Empty() {
		t.Fatalf("not converged:\n%s", strings.Join(whats(p2.Changes), "\n"))
	}
	if left := f.e.sb.Holders("Lead", "LeadSource", "Trade Show"); !slices.Equal(left, conv) {
		t.Fatalf("Trade Show holders %v, want the converted %v", left, conv)
	}
}

// TestIncludeConvertedNeedsThePermission: with --include-converted, plan
// moves converted leads too where the integration user has View and Edit
// Converted Leads, and refuses to where it has not.
func TestIncludeConvertedNeedsThePermission(t *testing.T) {
	st := seedState(t)
	converting(st, 2)
	st.User = &sfsandbox.User{Withheld: []string{"ViewEditConvertedLeads"}}
	f := newFixture(t, st)
	f.Options.IncludeKept = true
	if p := f.PlanWithProblems(); !p.HasErrors() || !strings.Contains(problems(p), "View and Edit Converted Leads") {
		t.Fatalf("without the permission: %s", problems(p))
	}

	st = seedState(t)
	converting(st, 2)
	f = newFixture(t, st)
	f.Options.IncludeKept = true
	p := f.Plan()
	if want := `migrate-records sf:Lead.LeadSource value="" Trade Show->Event records=7`; !slices.Contains(whats(p.Changes), want) {
		t.Fatalf("plan lacks %s:\n%s", want, strings.Join(whats(p.Changes), "\n"))
	}
	f.Converge()
	if left := f.e.sb.Holders("Lead", "LeadSource", "Trade Show"); len(left) > 0 {
		t.Fatalf("records still on Trade Show: %v", left)
	}
}

// TestCountsSeeOnlyWhatTheUserSees: the integration user lacks View All
// Data and two Trade Show leads are shared away from it, so SOQL neither
// counts nor returns them. Plan says its counts are partial, and apply
// converges on what the user can see; the two keep their value.
func TestCountsSeeOnlyWhatTheUserSees(t *testing.T) {
	st := seedState(t)
	var private []string
	for _, r := range st.Objects["Lead"].Records {
		if len(private) < 2 && r.Fields["LeadSource"] == "Trade Show" {
			r.Private = true
			private = append(private, r.ID)
		}
	}
	st.User = &sfsandbox.User{Withheld: []string{"ViewAllData"}}
	f := newFixture(t, st)
	p := f.Plan()
	if want := `migrate-records sf:Lead.LeadSource value="" Trade Show->Event records=5`; !slices.Contains(whats(p.Changes), want) {
		t.Fatalf("plan lacks %s:\n%s", want, strings.Join(whats(p.Changes), "\n"))
	}
	if want := "lacks View All Data"; !strings.Contains(problems(p), want) {
		t.Fatalf("problems lack %q:\n%s", want, problems(p))
	}
	f.Converge()
	for _, id := range private {
		if v, _ := f.e.sb.RecordValue("Lead", id, "LeadSource"); v != "Trade Show" {
			t.Errorf("%s holds %q; a record the user cannot see changed", id, v)
		}
	}
}

// TestValidationRuleRefusalsArePartial: a validation rule keeps the
// LeadSource of EMEA leads (as a rule, trigger or flow of an org may), so
// three of the seven Trade Show leads refuse the migration. The other
// four move, the step ends partial with Salesforce's reason per record,
// Trade Show is not deactivated while records hold it, and the next plan
// shows exactly the three left.
func TestValidationRuleRefusalsArePartial(t *testing.T) {
	st := seedState(t)
	st.ValidationRules = []*sfsandbox.ValidationRule{{Name: "EMEA_Source_Locked", Object: "Lead", Field: "LeadSource",
		When: map[string]string{"Region__c": "emea"}, Message: "EMEA lead sources are set by the regional team"}}
	f := newFixture(t, st)
	res, err := f.Apply(f.Request(f.Plan()))
	var partial *apply.PartialError
	if !errors.As(err, &partial) || partial.Refused != 3 || partial.Skipped != 1 {
		t.Fatalf("apply: %v, want 3 refused and the hide skipped", err)
	}
	i := slices.IndexFunc(res.Steps, func(s apply.StepResult) bool {
		return s.Change.Action == plan.MigrateRecords && s.Change.From == "Trade Show"
	})
	step := res.Steps[i]
	want := "00Q000000000006AAA: FIELD_CUSTOM_VALIDATION_EXCEPTION: EMEA lead sources are set by the regional team"
	if step.Result != changelog.ResultPartial || step.Records != 4 || !strings.Contains(step.Note, want) {
		t.Fatalf("migration step: %s, %d moved, note %q", step.Result, step.Records, step.Note)
	}
	if o, _ := readOne(t, f.e.client, bind("Lead", "LeadSource")).Option("Trade Show"); o.Hidden {
		t.Fatal("Trade Show deactivated while three leads hold it")
	}
	p2 := f.Plan()
	if got := whats(p2.Changes); !slices.Equal(got, []string{
		`migrate-records sf:Lead.LeadSource value="" Trade Show->Event records=3`,
		`hide sf:Lead.LeadSource value="Trade Show"`,
	}) {
		t.Fatalf("next plan:\n%s", strings.Join(got, "\n"))
	}
}
