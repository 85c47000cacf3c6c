package salesforce_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/apply/applytest"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/plan"
)

// TestPlanApplyPlan runs plan -> apply -> plan through engine/reconcile
// and engine/apply against the emulator: a custom field with its own
// values (Region__c), one bound to a global value set (Segment__c), the
// standard LeadSource and the lifecycle on Lead.Status, with a migration
// off a deprecated value on each of the first three. The second plan is
// empty.
func TestPlanApplyPlan(t *testing.T) {
	f := newFixture(t, nil)
	ms := f.migrations()
	p := f.Plan()
	t.Logf("plan:\n%s", strings.Join(whats(p.Changes), "\n"))
	for _, want := range []string{
		`create sf:Lead.Region__c value="anz"`,
		`create sf:Lead.Segment__c value="Public Sector"`,
		`create sf:Lead.LeadSource value="Event"`,
		`create sf:Lead.Status value="mql"`,
		`update sf:Lead.Segment__c value="Enterprise"`,
		`update sf:Lead.LeadSource value="Phone Inquiry"`,
		`migrate-records sf:Lead.Region__c value="" latam->na records=5`,
		`migrate-records sf:Lead.Segment__c value="" Startup->SMB records=2`,
		`migrate-records sf:Lead.LeadSource value="" Trade Show->Event records=7`,
		`hide sf:Lead.Region__c value="latam"`,
		`hide sf:Lead.LeadSource value="Trade Show"`,
	} {
		if !slices.Contains(whats(p.Changes), want) {
			t.Errorf("plan lacks %s", want)
		}
	}
	res, err := f.Apply(f.Request(p))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Steps {
		if s.Result != changelog.ResultApplied || s.Err != nil {
			t.Errorf("step %d (%s): %s %v", s.Change.Seq, what(s.Change), s.Result, s.Err)
		}
	}
	if p2 := f.Plan(); !p2.Empty() {
		t.Fatalf("plan after apply is not empty:\n%s", strings.Join(whats(p2.Changes), "\n"))
	}
	f.checkMigrated(ms)

	// Live now: deprecated values inactive and last, Contact records on the
	// shared LeadSource set untouched, LeadStatus flags kept.
	for b, want := range map[live.Binding]string{
		bind("Lead", "Region__c"):  "na(North America) emea(EMEA) apac(APAC) anz(ANZ) it's(It's quoted) latam(LATAM)-",
		bind("Lead", "Segment__c"): "Enterprise(Enterprise (1000+)) Mid-Market(Mid-Market) SMB(SMB) Public Sector(Public Sector) Startup(Startup)-",
		bind("Lead", "LeadSource"): "Web(Web) Phone Inquiry(Phone) Partner Referral(Partner Referral) Event(Event) Other(Other) Trade Show(Trade Show)-",
		bind("Lead", "Status"):     "open(Open) working(Working) mql(Marketing Qualified Lead) nurture(Nurture) converted(Converted)",
	} {
		if got := values(readOne(t, f.e.client, b).Options); got != want {
			t.Errorf("%s:\n got %s\nwant %s", b, got, want)
		}
	}
	if n := len(f.e.sb.Holders("Contact", "LeadSource", "Trade Show")); n != 2 {
		t.Errorf("%d contacts on Trade Show, want the 2 untouched", n)
	}
	vals, _ := f.e.sb.Values("Lead", "Status")
	if string(vals[len(vals)-1].Extra["converted"]) != "true" {
		t.Errorf("LeadStatus converted lost its flag: %+v", vals[len(vals)-1])
	}
}

// TestStalePlanIsRefused: a plan made before someone changed a picklist in
// Salesforce is refused, naming the binding, and nothing is written.
func TestStalePlanIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	p := f.Plan()
	b := bind("Lead", "Segment__c")
	cur := readOne(t, f.e.client, b)
	if _, err := f.e.client.Apply(t.Context(), setOptions(b, append(cur.Options, opt("Nonprofit", "Nonprofit", len(cur.Options)))...)); err != nil {
		t.Fatal(err)
	}
	f.e.tr.reset()
	_, err := f.Apply(f.Request(p))
	var refusal *apply.Refusal
	if !errors.As(err, &refusal) || !strings.Contains(err.Error(), "stale") || !strings.Contains(err.Error(), "sf:Lead.Segment__c") {
		t.Fatalf("want a stale refusal naming Segment__c, got %v", err)
	}
	if n := f.e.tr.total("PATCH "); n != 0 {
		t.Fatalf("a stale plan wrote %d times", n)
	}
}

// TestCrashAfterStep stops apply right after step k as if the process had
// died, then checks that the log is intact, that the crashed plan stays
// used up, and that a fresh plan converges without migrating any record
// twice. (Unlike HubSpot, the fresh plan may hold a reorder the original
// did not: Salesforce orders values by position, so an option added while
// a deprecated one is still active shifts the ones after it until the
// deprecated one is deactivated.)
func TestCrashAfterStep(t *testing.T) {
	steps := len(newFixture(t, nil).Plan().Changes)
	for k := 1; k < steps; k++ {
		t.Run(fmt.Sprintf("after step %d", k), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil)
			ms := f.migrations()
			p1 := f.Plan()
			req := f.Request(p1)
			crash := errors.New("simulated crash")
			req.Crash = func(pt apply.Point) error {
				if pt.Seq == k && pt.At == apply.AtRecorded {
					return crash
				}
				return nil
			}
			res, err := f.Apply(req)
			if !errors.Is(err, apply.ErrInjected) || !errors.Is(err, crash) || len(res.Steps) != k {
				t.Fatalf("apply: %d steps, %v; want the crash after step %d", len(res.Steps), err, k)
			}
			recs := f.Verified()
			if last := recs[len(recs)-1]; last.Type == changelog.RunEnd {
				t.Errorf("a crashed run ends with %s", last.Type)
			}
			if _, err := f.Apply(f.Request(p1)); err == nil || !strings.Contains(err.Error(), "already applied") {
				t.Errorf("re-applying the crashed plan: %v, want a refusal", err)
			}
			p2 := f.Plan()
			for _, c := range p2.Changes {
				if c.Action == plan.MigrateRecords && slices.ContainsFunc(p1.Changes[:k], func(d plan.Change) bool {
					return d.Action == plan.MigrateRecords && d.Target == c.Target
				}) {
					t.Errorf("fresh plan migrates %s again", c.Target)
				}
			}
			f.Converge()
			f.checkMigrated(ms)
		})
	}
}

// TestMigrationServerError injects a 5xx into the collection update: apply
// fails at the first migration, the PATCH is not retried, and a fresh
// plan finishes the job.
func TestMigrationServerError(t *testing.T) {
	f := newFixture(t, nil)
	ms := f.migrations()
	p1 := f.Plan()
	f.e.sb.SetFaults(sfsandbox.Faults{ServerErrors: 1, ServerErrorStatus: 503, PathPrefix: api + "/composite/sobjects"})
	_, err := f.Apply(f.Request(p1))
	if err == nil || !strings.Contains(err.Error(), "migrate-records") || !strings.Contains(err.Error(), "503") {
		t.Fatalf("want the migration to fail with the 503, got %v", err)
	}
	if n := f.e.tr.count("PATCH", api+"/composite/sobjects"); n != 1 {
		t.Fatalf("collection PATCH sent %d times, want 1", n)
	}
	recs := f.Verified()
	if last := recs[len(recs)-1]; last.Type != changelog.RunEnd || last.Result != changelog.ResultAborted {
		t.Errorf("last record %s %s, want run-end aborted", last.Type, last.Result)
	}
	if ids := applytest.BatchIDs(t, recs); len(ids) != 0 {
		t.Errorf("batch records for a refused batch: %v", ids)
	}
	f.Converge()
	f.checkMigrated(ms)
}

// TestLargeMigrationFailsMidway moves 455 records: the first batch of 200
// is written and logged, the second fails; the fresh plan moves the other
// 255 and no record is written twice.
func TestLargeMigrationFailsMidway(t *testing.T) {
	f := newFixture(t, seedWith(t, 450))
	ms := f.migrations()
	plain := f.Provider
	f.Provider = failAfterFirstBatch{plain, f.e.sb}
	p1 := f.Plan()
	if _, err := f.Apply(f.Request(p1)); err == nil || !strings.Contains(err.Error(), "batch 2") {
		t.Fatalf("apply error %v, want batch 2 to fail", err)
	}
	f.e.sb.SetFaults(sfsandbox.Faults{})
	f.Provider = plain
	region := 0
	for _, id := range applytest.BatchIDs(t, f.Verified()) {
		if strings.HasPrefix(id, "Region__c/") {
			region++
		}
	}
	if region != 200 {
		t.Errorf("%d Region__c ids in batch records, want the first batch's 200", region)
	}
	p2 := f.Plan()
	if i := slices.IndexFunc(p2.Changes, func(c plan.Change) bool { return c.Action == plan.MigrateRecords && c.From == "latam" }); i < 0 || p2.Changes[i].Records != 255 {
		t.Fatalf("fresh plan %v, want the 255 records left to migrate", whats(p2.Changes))
	}
	f.Converge()
	f.checkMigrated(ms)
}

// failAfterFirstBatch makes every collection update after the first
// accepted one of the Region__c migration fail.
type failAfterFirstBatch struct {
	live.Provider
	sb *sfsandbox.Sandbox
}

func (p failAfterFirstBatch) MigrateRecords(ctx context.Context, m live.Migration, onBatch func(live.BatchResult) error) (live.MigrationResult, error) {
	if m.Property != "Region__c" {
		return p.Provider.MigrateRecords(ctx, m, onBatch)
	}
	return p.Provider.MigrateRecords(ctx, m, func(b live.BatchResult) error {
		p.sb.SetFaults(sfsandbox.Faults{ServerErrors: 100, PathPrefix: api + "/composite/sobjects"})
		return onBatch(b)
	})
}

// TestRemovalIsDeactivationThroughPlan: a live value the repository does
// not declare and no record holds is planned as a remove, which Salesforce
// carries out as a deactivation. The value stays in live, inactive, and
// the next plan is empty: the client's capabilities say removal is
// deactivation, so reconcile does not plan the remove again.
func TestRemovalIsDeactivationThroughPlan(t *testing.T) {
	st := seedState(t)
	for _, fl := range st.Objects["Lead"].Fields {
		if fl.Name == "Region__c" {
			fl.Values = append(fl.Values, sfapi.CustomValue{ValueName: "mena", Label: "MENA", IsActive: new(true)})
		}
	}
	f := newFixture(t, st)
	p := f.Plan()
	if !slices.Contains(whats(p.Changes), `remove sf:Lead.Region__c value="mena"`) {
		t.Fatalf("plan lacks the removal of mena:\n%s", strings.Join(whats(p.Changes), "\n"))
	}
	if _, err := f.Apply(f.Request(p)); err != nil {
		t.Fatal(err)
	}
	o, ok := readOne(t, f.e.client, bind("Lead", "Region__c")).Option("mena")
	if !ok || !o.Hidden {
		t.Fatalf("mena after removal: %+v (found %v), want it kept inactive", o, ok)
	}
	if p2 := f.Plan(); !p2.Empty() {
		t.Fatalf("second plan is not empty:\n%s", strings.Join(whats(p2.Changes), "\n"))
	}
}
