package apply_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/apply/applytest"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/livetest"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/reconcile"
)

const (
	acmeDir = "../../examples/acme"
	dana    = "dana.whitfield@acme.example"
	priya   = "priya.raman@acme.example"
)

var (
	now      = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	leadSrc  = live.Binding{System: "sandbox", Object: "contacts", Property: "lead_source"}
	errCrash = errors.New("simulated crash")
	// err503 is a batch update the system refuses for a passing outage.
	err503 = &live.APIError{System: "sandbox", Method: http.MethodPost, Path: "/crm/v3/objects/contacts/batch/update",
		Status: http.StatusServiceUnavailable, Message: "Service Unavailable"}
)

// acmeBundle loads the example repository without its dot-folders (.mops
// holds the state of whoever ran mops there, .github is CI configuration).
var acmeBundle = sync.OnceValues(func() (*model.Bundle, error) { return loadAcme(nil) })

// mustBundle loads the example repository anew.
func mustBundle(t *testing.T) *model.Bundle {
	t.Helper()
	b, err := loadAcme(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// otherDocuments is the example repository with lead_source's paid_social
// labelled as live has it, so no relabel is planned.
func otherDocuments(t *testing.T) *model.Bundle {
	t.Helper()
	b, err := loadAcme(func(repo fstest.MapFS) {
		f := repo["taxonomies/lead-source.yaml"]
		f.Data = []byte(strings.Replace(string(f.Data), "label: Paid Social\n", "label: Paid social (Meta/LinkedIn)\n", 1))
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// loadAcme loads the example repository, changed by edit when not nil.
func loadAcme(edit func(fstest.MapFS)) (*model.Bundle, error) {
	repo := fstest.MapFS{}
	root := os.DirFS(acmeDir)
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && strings.HasPrefix(p, ".") && p != ".":
			return fs.SkipDir
		case d.IsDir():
			return nil
		}
		data, err := fs.ReadFile(root, p)
		repo[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		return nil, err
	}
	if edit != nil {
		edit(repo)
	}
	b, findings, err := load.Load(repo, load.Options{})
	if err != nil {
		return nil, err
	}
	for _, f := range findings {
		if f.Blocking() {
			return nil, fmt.Errorf("%s:%d: %s", f.File, f.Line, f.Message)
		}
	}
	return b, nil
}

// fixture is the example repository against a fake of its sandbox system
// (livetest.Acme), with its change log and lock in a temporary folder:
// an applytest.Fixture that keeps the fake's own type.
type fixture struct {
	*applytest.Fixture
	t    *testing.T
	live *livetest.Provider
}

// newFixture starts from the example's sandbox, changed by edit (when not
// nil).
func newFixture(t *testing.T, edit func(st *livetest.State)) *fixture {
	t.Helper()
	fake := livetest.Acme(t)
	if edit != nil {
		fake.Edit(edit)
	}
	b, err := acmeBundle()
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{Fixture: applytest.For(t, b, "sandbox", fake, dana, priya), t: t, live: fake}
}

// lockPath is the sandbox's lock file.
func (f *fixture) lockPath() string { return filepath.Join(f.LockDir, "sandbox.lock") }

// holders lists the contacts whose lead_source is value.
func (f *fixture) holders(value string) []string { return f.live.Holders(leadSrc, value) }

// what renders a change without its sequence number, to compare plans.
func what(c plan.Change) string {
	s := fmt.Sprintf("%s %s value=%q", c.Action, c.Target, c.Value)
	if c.Action == plan.MigrateRecords {
		s += fmt.Sprintf(" %s->%s records=%d", c.From, c.To, c.Records)
	}
	if c.Action == plan.Update && c.Value == "" {
		s += " order=" + strings.Join(c.OrderAfter, ",")
	}
	if c.After != nil {
		s += fmt.Sprintf(" after=%+v", *c.After)
	}
	return s
}

func whats(cs []plan.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, what(c))
	}
	return out
}

// batchIDs collects the record ids of every batch record in the log.
func batchIDs(t *testing.T, recs []changelog.Record) []string {
	t.Helper()
	var ids []string
	for _, r := range recs {
		if r.Type != changelog.Batch {
			continue
		}
		data, err := json.Marshal(r.After)
		if err != nil {
			t.Fatal(err)
		}
		var br live.BatchResult
		if err := json.Unmarshal(data, &br); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, br.IDs...)
	}
	return ids
}

// checkMigrated asserts that every record of was moved to event exactly
// once across every run in the log, and that none holds trade_show.
func (f *fixture) checkMigrated(was []string) { f.checkMigratedBut(was, 0) }

// checkMigratedBut is checkMigrated when a crash kept one batch of
// unrecorded records out of the batch records (its step's intent covers
// them): those records moved, but only the others are in batch records.
func (f *fixture) checkMigratedBut(was []string, unrecorded int) {
	f.t.Helper()
	ids := batchIDs(f.t, f.Verified())
	sorted := slices.Sorted(slices.Values(ids))
	if len(slices.Compact(slices.Clone(sorted))) != len(ids) {
		f.t.Errorf("a record was migrated twice: batch ids %v", sorted)
	}
	if unrecorded == 0 {
		if diff := cmp.Diff(slices.Sorted(slices.Values(was)), slices.Compact(sorted)); diff != "" {
			f.t.Errorf("migrated ids (-held trade_show +in batch records):\n%s", diff)
		}
	} else if len(ids) != len(was)-unrecorded {
		f.t.Errorf("%d ids in batch records, want %d of the %d moved", len(ids), len(was)-unrecorded, len(was))
	}
	for _, id := range was {
		if v, _ := f.live.Value("contacts", id, "lead_source"); v != "event" {
			f.t.Errorf("contact %s holds %q, want event", id, v)
		}
	}
	if left := f.holders("trade_show"); len(left) > 0 {
		f.t.Errorf("records still on trade_show: %v", left)
	}
}

// converge applies a fresh plan and checks that the plan after it is empty.
func (f *fixture) converge() {
	f.t.Helper()
	p := f.Plan()
	if _, err := f.Apply(f.Request(p)); err != nil {
		f.t.Fatalf("applying the fresh plan: %v", err)
	}
	if p3 := f.Plan(); !p3.Empty() {
		f.t.Fatalf("not converged; still planned:\n%s", strings.Join(whats(p3.Changes), "\n"))
	}
}

func TestApplyConverges(t *testing.T) {
	cases := []struct {
		name string
		live func(t *testing.T, st *livetest.State)
	}{
		{"example seed", nil},
		{"reorder", func(t *testing.T, st *livetest.State) {
			p := leadSource(t, st)
			p.Options[0].DisplayOrder, p.Options[1].DisplayOrder = 1, 0
		}},
		{"property to create", func(t *testing.T, st *livetest.State) {
			o := st.Objects["contacts"]
			o.Properties = slices.DeleteFunc(o.Properties, func(p *live.Property) bool { return p.Property == "lead_source" })
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var edit func(*livetest.State)
			if c.live != nil {
				edit = func(st *livetest.State) { c.live(t, st) }
			}
			f := newFixture(t, edit)
			p := f.Plan()
			res, err := f.Apply(f.Request(p))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Steps) != len(p.Changes) {
				t.Fatalf("%d step results for %d changes", len(res.Steps), len(p.Changes))
			}
			for _, s := range res.Steps {
				if s.Result != changelog.ResultApplied || s.Err != nil {
					t.Errorf("step %d (%s): %s %v", s.Change.Seq, s.Change.Action, s.Result, s.Err)
				}
			}
			recs := f.Verified()
			if first, last := recs[0], recs[len(recs)-1]; first.Type != changelog.RunStart || last.Type != changelog.RunEnd || last.Result != changelog.ResultCompleted {
				t.Errorf("log runs from %s to %s %s", first.Type, last.Type, last.Result)
			}
			for _, r := range recs {
				if r.PlanHash != p.Hash || r.PlanID != p.ID || r.Actor != "ci" || !slices.Equal(r.Approvers, []string{"@dana-whitfield", "@priya-raman"}) || !r.Time.Equal(now) {
					t.Errorf("record %d: plan %s (%s) actor %s approvers %v time %v", r.Seq, r.PlanHash, r.PlanID, r.Actor, r.Approvers, r.Time)
				}
			}
			if p2 := f.Plan(); !p2.Empty() {
				t.Fatalf("plan after apply is not empty:\n%s", strings.Join(whats(p2.Changes), "\n"))
			}
		})
	}
}

func leadSource(t *testing.T, st *livetest.State) *live.Property {
	t.Helper()
	for _, p := range st.Objects["contacts"].Properties {
		if p.Property == "lead_source" {
			return p
		}
	}
	t.Fatal("seed has no contacts.lead_source")
	return nil
}

// TestCrashAfterStep stops apply right after step k as if the process had
// died, then checks that the change log is intact, that a fresh plan lists
// exactly what is left, and that applying it converges without migrating
// any record twice.
//
// What is left is always exactly the original steps after k, for every k:
// each step reads live again and plan sees only what is still missing. In
// particular, after the migration (k=3) the fresh plan has no migration
// (no record holds trade_show any more) but still the hide and the remove;
// the hide is not planned away because trade_show is still shown.
func TestCrashAfterStep(t *testing.T) {
	for k := 1; k <= 4; k++ {
		t.Run(fmt.Sprintf("after step %d", k), func(t *testing.T) {
			f := newFixture(t, nil)
			tradeShow := f.holders("trade_show")
			if len(tradeShow) != 12 {
				t.Fatalf("seed has %d trade_show records, want 12", len(tradeShow))
			}
			p1 := f.Plan()
			if len(p1.Changes) != 5 {
				t.Fatalf("plan has %d changes, want 5", len(p1.Changes))
			}
			req := f.Request(p1)
			req.Crash = func(pt apply.Point) error {
				if pt.Seq == k && pt.At == apply.AtRecorded {
					return errCrash
				}
				return nil
			}
			res, err := f.Apply(req)
			if !errors.Is(err, apply.ErrInjected) || !errors.Is(err, errCrash) {
				t.Fatalf("apply error %v, want the injected crash", err)
			}
			if len(res.Steps) != k {
				t.Errorf("%d steps ran, want %d", len(res.Steps), k)
			}

			// The log is a consistent prefix: run-start, then each step
			// done, its intent first (and the migration's batch), with no
			// run-end.
			recs := f.Verified()
			var kinds []string
			for _, r := range recs {
				kinds = append(kinds, string(r.Type))
			}
			want := []string{"run-start"}
			for i := 1; i <= k; i++ {
				want = append(want, "intent")
				if i == 3 {
					want = append(want, "batch")
				}
				want = append(want, "change")
			}
			if diff := cmp.Diff(want, kinds); diff != "" {
				t.Errorf("record types (-want +got):\n%s", diff)
			}

			// The crashed plan stays used up.
			if _, err := f.Apply(f.Request(p1)); err == nil || !strings.Contains(err.Error(), "already applied") {
				t.Errorf("re-applying the crashed plan: %v, want a refusal", err)
			}

			// A fresh plan lists exactly the steps after k.
			p2 := f.Plan()
			if diff := cmp.Diff(whats(p1.Changes[k:]), whats(p2.Changes)); diff != "" {
				t.Errorf("fresh plan (-original steps after %d +planned):\n%s", k, diff)
			}

			f.converge()
			f.checkMigrated(tradeShow)
		})
	}
}

// failBatches makes the fake refuse, with a 503, the next n migration
// batches numbered from or later.
func (f *fixture) failBatches(from, n int) {
	f.live.FailWith(func(c livetest.Call) error {
		if c.Op == "batch" && c.Seq >= from && n > 0 {
			n--
			return err503
		}
		return nil
	})
}

// TestMigrationServerError injects a 5xx into the batch update: apply
// fails at the migration, ends its run with an "aborted" record, and a
// fresh plan shows the migration still to do.
func TestMigrationServerError(t *testing.T) {
	f := newFixture(t, nil)
	tradeShow := f.holders("trade_show")
	p1 := f.Plan()
	f.failBatches(1, 1)
	res, err := f.Apply(f.Request(p1))
	if err == nil {
		t.Fatal("apply succeeded through a failing batch update")
	}
	for _, s := range []string{"step 3 (migrate-records sandbox:contacts.lead_source) failed", "503", "mops plan shows what is left"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
	if n := len(res.Steps); n != 3 || res.Steps[2].Result != changelog.ResultFailed {
		t.Errorf("steps %+v, want 3 with the last failed", res.Steps)
	}
	recs := f.Verified()
	last, failed := recs[len(recs)-1], recs[len(recs)-2]
	if last.Type != changelog.RunEnd || last.Result != changelog.ResultAborted || !strings.Contains(last.Error, "step 3 failed") {
		t.Errorf("last record %s %s %q, want run-end aborted", last.Type, last.Result, last.Error)
	}
	if failed.Type != changelog.Change || failed.Result != changelog.ResultFailed || failed.Change.Seq != 3 || failed.Error == "" {
		t.Errorf("step 3 record %s %s %q", failed.Type, failed.Result, failed.Error)
	}
	if ids := batchIDs(t, recs); len(ids) != 0 {
		t.Errorf("batch records for a batch the system refused: %v", ids)
	}
	if got := f.holders("trade_show"); len(got) != 12 {
		t.Errorf("%d records on trade_show after the failed batch, want all 12", len(got))
	}
	p2 := f.Plan()
	if diff := cmp.Diff(whats(p1.Changes[2:]), whats(p2.Changes)); diff != "" {
		t.Errorf("fresh plan (-original steps 3.. +planned):\n%s", diff)
	}
	f.converge()
	f.checkMigrated(tradeShow)
}

// TestMigrationFailsMidway has 162 records to move: the first batch of 100
// is written and logged, the second fails. The fresh plan moves the other
// 62, and no record is written twice.
func TestMigrationFailsMidway(t *testing.T) {
	f := newFixture(t, func(st *livetest.State) {
		for i := range 150 {
			st.Objects["contacts"].Records = append(st.Objects["contacts"].Records, &livetest.Record{
				ID: fmt.Sprint(5000 + i), Values: map[string]string{"lead_source": "trade_show"},
			})
		}
	})
	tradeShow := f.holders("trade_show")
	if len(tradeShow) != 162 {
		t.Fatalf("%d trade_show records, want 162", len(tradeShow))
	}
	p1 := f.Plan()
	f.failBatches(2, 100)
	if _, err := f.Apply(f.Request(p1)); err == nil || !strings.Contains(err.Error(), "batch 2") {
		t.Fatalf("apply error %v, want batch 2 to fail", err)
	}
	f.live.FailWith(nil)
	recs := f.Verified()
	if ids := batchIDs(t, recs); len(ids) != 100 {
		t.Errorf("%d ids in batch records, want the first batch's 100", len(ids))
	}
	if last := recs[len(recs)-1]; last.Result != changelog.ResultAborted {
		t.Errorf("last record %s %s, want aborted", last.Type, last.Result)
	}
	p2 := f.Plan()
	if len(p2.Changes) == 0 || p2.Changes[0].Action != plan.MigrateRecords || p2.Changes[0].Records != 62 {
		t.Fatalf("fresh plan starts %v, want the 62 records left to migrate", whats(p2.Changes))
	}
	f.converge()
	f.checkMigrated(tradeShow)
}

// TestRefusedRecordsMakeAPartialStep: two of the 12 trade_show records
// refuse any write (a validation rule, say). The migration moves the
// other ten and ends "partial" with each refusal's reason; the hide of
// trade_show is skipped, since records still hold it; the later steps run;
// the run ends "partial" with a *PartialError; and the next plan shows
// exactly the two records left.
func TestRefusedRecordsMakeAPartialStep(t *testing.T) {
	var refusing []string
	f := newFixture(t, func(st *livetest.State) {
		for _, r := range st.Objects["contacts"].Records {
			if r.Values["lead_source"] == "trade_show" && len(refusing) < 2 {
				r.Refuses = "FIELD_CUSTOM_VALIDATION_EXCEPTION: partners keep their source"
				refusing = append(refusing, r.ID)
			}
		}
	})
	p1 := f.Plan()
	res, err := f.Apply(f.Request(p1))
	var partial *apply.PartialError
	if !errors.As(err, &partial) || partial.Refused != 2 || partial.Skipped != 1 {
		t.Fatalf("apply: %v, want a partial error with 2 refused and 1 skipped", err)
	}
	results := map[plan.Action]string{}
	for _, s := range res.Steps {
		results[s.Change.Action] = s.Result
	}
	if diff := cmp.Diff(map[plan.Action]string{
		plan.Create: changelog.ResultApplied, plan.Update: changelog.ResultApplied, plan.MigrateRecords: changelog.ResultPartial,
		plan.Hide: changelog.ResultSkipped, plan.Remove: changelog.ResultApplied,
	}, results); diff != "" {
		t.Errorf("step results (-want +got):\n%s", diff)
	}
	migrate := res.Steps[2]
	if migrate.Records != 10 || len(migrate.Refused) != 2 || !strings.Contains(migrate.Note, refusing[0]+": FIELD_CUSTOM_VALIDATION_EXCEPTION: partners keep their source") {
		t.Errorf("migrate step: %d moved, refused %+v, note %q", migrate.Records, migrate.Refused, migrate.Note)
	}
	if prop, _ := f.live.Property(leadSrc); !slices.ContainsFunc(prop.Options, func(o live.Option) bool { return o.Value == "trade_show" && !o.Hidden }) {
		t.Error("trade_show hidden while two records hold it")
	}
	recs := f.Verified()
	if last := recs[len(recs)-1]; last.Type != changelog.RunEnd || last.Result != changelog.ResultPartial {
		t.Errorf("last record %s %s, want run-end partial", last.Type, last.Result)
	}
	p2 := f.Plan()
	if len(p2.Changes) != 2 || p2.Changes[0].Action != plan.MigrateRecords || p2.Changes[0].Records != 2 ||
		p2.Changes[1].Action != plan.Hide || p2.Changes[1].Value != "trade_show" {
		t.Errorf("next plan %v, want the 2 records left to migrate, then the hide", whats(p2.Changes))
	}
}

// TestDryRunWritesNothing walks the plan without a log, a lock or a
// change in live, and says what each step would do.
func TestDryRunWritesNothing(t *testing.T) {
	f := newFixture(t, nil)
	before := f.live.State()
	p := f.Plan()
	req := f.Request(p)
	req.DryRun = true
	res, err := f.Apply(req)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range res.Steps {
		got = append(got, fmt.Sprintf("%d %s %s %d", s.Change.Seq, s.Change.Action, s.Result, s.Records))
	}
	want := []string{"1 create would-apply 0", "2 update would-apply 0", "3 migrate-records would-apply 12", "4 hide would-apply 0", "5 remove would-apply 0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dry run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, f.live.State()); diff != "" {
		t.Errorf("dry run changed live:\n%s", diff)
	}
	for _, path := range []string{f.LogPath, f.LockDir} {
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("dry run wrote %s", path)
		}
	}
}

// TestRemoveRechecksRecords: a record takes the undeclared value while
// apply runs, after the plan was derived again with none holding it. The
// removal must still be refused because a record holds the value now.
func TestRemoveRechecksRecords(t *testing.T) {
	f := newFixture(t, nil)
	p := f.Plan()
	req := f.Request(p)
	// After step 4, so after apply derived the plan again (a record
	// holding print_ad then would make the plan another one).
	req.Progress = func(s apply.StepResult) {
		if s.Change.Seq != 4 {
			return
		}
		f.live.Edit(func(st *livetest.State) {
			for _, r := range st.Objects["contacts"].Records {
				if r.ID == "1001" {
					r.Values["lead_source"] = "print_ad"
				}
			}
		})
	}
	res, err := f.Apply(req)
	if err == nil || !strings.Contains(err.Error(), "step 5") || !strings.Contains(err.Error(), "1 record(s) hold") {
		t.Fatalf("apply error %v, want step 5 refused because a record holds print_ad", err)
	}
	if last := res.Steps[len(res.Steps)-1]; last.Change.Action != plan.Remove || last.Result != changelog.ResultFailed {
		t.Errorf("last step %s %s", last.Change.Action, last.Result)
	}
	prop, _ := f.live.Property(leadSrc)
	if !slices.ContainsFunc(prop.Options, func(o live.Option) bool { return o.Value == "print_ad" }) {
		t.Errorf("print_ad was removed although contact 1001 holds it")
	}
	if v, _ := f.live.Value("contacts", "1001", "lead_source"); v != "print_ad" {
		t.Errorf("contact 1001 holds %q", v)
	}
	f.Verified()
	// The next plan explains what to do instead.
	p2, err := reconcile.Plan(context.Background(), f.Bundle, f.live, reconcile.Options{System: "sandbox", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !p2.HasErrors() || !strings.Contains(p2.Problems[0].Message, `cannot remove option "print_ad"`) {
		t.Errorf("fresh plan problems %+v", p2.Problems)
	}
}

// TestHideRechecksRecords: a contact takes trade_show while the migration
// off it runs; the hide that follows counts again and refuses, so the
// option is not hidden from under a record that holds it.
func TestHideRechecksRecords(t *testing.T) {
	f := newFixture(t, nil)
	req := f.Request(f.Plan())
	req.Progress = func(s apply.StepResult) {
		if s.Change.Action == plan.MigrateRecords {
			f.live.Edit(func(st *livetest.State) {
				for _, r := range st.Objects["contacts"].Records {
					if r.ID == "1001" {
						r.Values["lead_source"] = "trade_show"
					}
				}
			})
		}
	}
	_, err := f.Apply(req)
	if err == nil || !strings.Contains(err.Error(), `cannot hide option "trade_show": 1 record(s) hold it now`) {
		t.Fatalf("apply error %v, want the hide refused", err)
	}
	prop, _ := f.live.Property(leadSrc)
	if slices.ContainsFunc(prop.Options, func(o live.Option) bool { return o.Value == "trade_show" && o.Hidden }) {
		t.Error("trade_show hidden although contact 1001 holds it")
	}
}

// TestRunRefusesOtherOrigin: a plan made at another commit, or one with
// errors, is refused before anything is read or written.
func TestRunRefusesOtherOrigin(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *plan.Plan, req *apply.Request)
		want string
	}{
		{"plan with errors", func(p *plan.Plan, _ *apply.Request) {
			p.Problems = append(p.Problems, plan.Problem{Severity: plan.Error, Message: "boom"})
		}, "the plan has errors"},
		{"other documents", func(p *plan.Plan, _ *apply.Request) {
			p.DesiredHash = "sha256:0000"
		}, "the governance documents changed since the plan was made"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, nil)
			before := f.live.State()
			p := f.Plan()
			req := f.Request(p)
			c.edit(p, &req)
			_, err := f.Apply(req)
			var r *apply.Refusal
			if !errors.As(err, &r) || !strings.Contains(r.Reason, c.want) {
				t.Fatalf("error %v, want a refusal containing %q", err, c.want)
			}
			if diff := cmp.Diff(before, f.live.State()); diff != "" {
				t.Errorf("a refused apply changed live:\n%s", diff)
			}
			if _, err := os.Stat(filepath.Dir(f.LogPath)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a refused apply wrote %s", filepath.Dir(f.LogPath))
			}
		})
	}
}
