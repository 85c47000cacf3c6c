package apply_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/livetest"
	"github.com/mops-dev/mops/engine/plan"
)

// TestCrashMatrix stops apply at every point of every step, as if the
// process died there: with the step's intent recorded and live not yet
// written, with live written and the outcome not yet recorded, and with
// the outcome recorded (the step boundary). Each time the change log and
// live must agree: no live change without a record, no record of a write
// live does not hold. Resolving the log then records each open write as
// recovered exactly when live holds it, and a fresh plan converges
// without moving any record twice.
func TestCrashMatrix(t *testing.T) {
	for k := 1; k <= 5; k++ {
		for _, at := range []string{apply.AtIntent, apply.AtWritten, apply.AtRecorded} {
			t.Run(fmt.Sprintf("step %d %s", k, at), func(t *testing.T) {
				f := newFixture(t, nil)
				crashAt(t, f, apply.Point{Seq: k, At: at})
			})
		}
	}
}

// TestCrashMidMigration stops apply in the middle of a migration of 162
// records (two batches): after a batch was written to live and before it
// was recorded.
func TestCrashMidMigration(t *testing.T) {
	for _, batch := range []int{1, 2} {
		t.Run(fmt.Sprintf("batch %d written, not recorded", batch), func(t *testing.T) {
			f := newFixture(t, func(st *livetest.State) {
				for i := range 150 {
					st.Objects["contacts"].Records = append(st.Objects["contacts"].Records, &livetest.Record{
						ID: fmt.Sprint(5000 + i), Values: map[string]string{"lead_source": "trade_show"},
					})
				}
			})
			res := crashAt(t, f, apply.Point{Seq: 3, At: apply.AtBatch, Batch: batch})
			want := changelog.ResultNotApplied
			if batch == 2 {
				want = changelog.ResultRecovered
			}
			if len(res) != 1 || res[0].Result != want {
				t.Errorf("resolutions %+v, want the migration %s", res, want)
			}
		})
	}
}

// crashAt runs the fixture's plan until the crash at pt, checks the log
// against live, resolves the log and converges. It returns the
// resolutions.
func crashAt(t *testing.T, f *fixture, pt apply.Point) []apply.Resolution {
	t.Helper()
	tradeShow := f.holders("trade_show")
	p := f.Plan()
	req := f.Request(p)
	crashed := false
	req.Crash = func(at apply.Point) error {
		if at == pt {
			crashed = true
			return errCrash
		}
		return nil
	}
	if _, err := f.Apply(req); !errors.Is(err, apply.ErrInjected) || !crashed {
		t.Fatalf("apply error %v, want the crash at %+v", err, pt)
	}
	recs := f.Verified()
	f.agrees(p, recs, len(tradeShow))

	res, err := apply.Resolve(context.Background(), apply.ResolveRequest{
		LogPath: f.LogPath, LockDir: f.LockDir, Providers: map[string]live.Provider{"sandbox": f.live},
		Actor: "ops", Now: req.Now, Host: "test-host", PID: os.Getpid(),
	})
	if err != nil {
		t.Fatal(err)
	}
	after := f.Verified()
	if pending := changelog.Pending(after); len(pending) > 0 {
		t.Errorf("intents still without an outcome after resolving: %+v", pending)
	}
	if open := changelog.Unfinished(after); len(open) > 0 {
		t.Errorf("runs still without a run-end after resolving: %+v", open)
	}
	var writes []apply.Resolution
	for _, r := range res {
		if r.Record.Type != changelog.Intent {
			if r.Record.Type != changelog.RunStart || r.Result != changelog.ResultInterrupted {
				t.Errorf("resolved record %d (%s) as %s", r.Record.Seq, r.Record.Type, r.Result)
			}
			continue
		}
		writes = append(writes, r)
		if done := f.done(*r.Record.Change, len(tradeShow)); done != (r.Result == changelog.ResultRecovered) {
			t.Errorf("step %d resolved as %s (%s), but live holds it: %v", r.Record.Change.Seq, r.Result, r.Detail, done)
		}
	}
	wantOpen := pt.At != apply.AtRecorded
	if got := len(writes) == 1; got != wantOpen || len(res) != len(writes)+1 {
		t.Errorf("%d intents and %d runs resolved, want one open write: %v, and the run", len(writes), len(res)-len(writes), wantOpen)
	}
	res = writes
	f.converge()
	unrecorded := 0
	if pt.At == apply.AtBatch {
		unrecorded = min(len(tradeShow)-(pt.Batch-1)*livetest.BatchSize, livetest.BatchSize)
	}
	f.checkMigratedBut(tradeShow, unrecorded)
	return res
}

// agrees checks the change log of a stopped run against live, step by
// step: a step live shows touched has an intent or an outcome; a step
// recorded as applied is done in live; a step without any record left
// live alone.
func (f *fixture) agrees(p *plan.Plan, recs []changelog.Record, held int) {
	f.t.Helper()
	for _, c := range p.Changes {
		var intent, outcome *changelog.Record
		for i := range recs {
			r := &recs[i]
			if r.Change == nil || r.Change.Seq != c.Seq || r.PlanHash != p.Hash {
				continue
			}
			switch {
			case r.Type == changelog.Intent:
				intent = r
			case r.Type == changelog.Change:
				outcome = r
			}
		}
		touched, done := f.touched(c, held), f.done(c, held)
		switch {
		case touched && intent == nil:
			f.t.Errorf("step %d changed live without an intent record", c.Seq)
		case outcome != nil && outcome.Result == changelog.ResultApplied && !done:
			f.t.Errorf("step %d is recorded as applied, but live does not hold it", c.Seq)
		case outcome != nil && outcome.Intent != intent.Seq:
			f.t.Errorf("step %d's outcome names intent %d, not %d", c.Seq, outcome.Intent, intent.Seq)
		}
	}
}

// done reports whether live holds step c fully.
func (f *fixture) done(c plan.Change, held int) bool {
	switch {
	case c.Action == plan.MigrateRecords:
		return len(f.live.Holders(c.Target, c.From)) == 0
	case c.Action == plan.Create && c.Value == "":
		_, ok := f.live.Property(c.Target)
		return ok
	}
	prop, ok := f.live.Property(c.Target)
	return ok && live.SameOptions(prop.Options, c.ApplyTo(prop.Options))
}

// touched reports whether live shows any of step c: for a migration, a
// record moved off its value; for the rest, the step done.
func (f *fixture) touched(c plan.Change, held int) bool {
	if c.Action == plan.MigrateRecords {
		return len(f.live.Holders(c.Target, c.From)) < held
	}
	return f.done(c, held)
}

// TestNextApplyResolves: after a crash between a write and its record,
// the next apply records the write's outcome before its own first step,
// and says so.
func TestNextApplyResolves(t *testing.T) {
	f := newFixture(t, nil)
	req := f.Request(f.Plan())
	req.Crash = func(at apply.Point) error {
		if at == (apply.Point{Seq: 2, At: apply.AtWritten}) {
			return errCrash
		}
		return nil
	}
	if _, err := f.Apply(req); !errors.Is(err, errCrash) {
		t.Fatalf("apply error %v, want the crash", err)
	}
	next := f.Request(f.Plan())
	var told []apply.Resolution
	next.Resolved = func(rs []apply.Resolution) { told = rs }
	res, err := f.Apply(next)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Resolved) != 2 || res.Resolved[0].Result != changelog.ResultRecovered || res.Resolved[0].Record.Change.Seq != 2 ||
		res.Resolved[1].Result != changelog.ResultInterrupted {
		t.Fatalf("resolved %+v, want step 2 recovered and the run interrupted", res.Resolved)
	}
	if len(told) != 2 {
		t.Errorf("Resolved was told %d resolutions, want 2", len(told))
	}
	var kinds []string
	for _, r := range f.Verified() {
		kinds = append(kinds, string(r.Type)+" "+r.Result)
	}
	// The crashed run: run-start, step 1's intent and outcome, step 2's
	// intent; then the resolution and the crashed run's end, then the
	// next run.
	want := []string{"run-start started", "intent intended", "change applied", "intent intended",
		"change recovered", "run-end interrupted", "run-start started"}
	if len(kinds) < len(want) || !slices.Equal(kinds[:len(want)], want) {
		t.Errorf("records %v, want them to start %v", kinds, want)
	}
}

// TestPlanWarnsOfOpenWrites: a plan made after a crash says, for the write
// left without an outcome, whether live holds it (judged by the plan
// itself), and that an apply still holding the system's lock is running.
func TestPlanWarnsOfOpenWrites(t *testing.T) {
	for _, c := range []struct {
		at   apply.Point
		want string
	}{
		{apply.Point{Seq: 2, At: apply.AtIntent}, `change log record 4: an apply of plan %s stopped during step 2 (update sandbox:contacts.lead_source "paid_social") before recording its outcome; live does not hold it, so this plan makes it again as step 1. mops apply (or mops log --resolve) records it`},
		{apply.Point{Seq: 2, At: apply.AtWritten}, `change log record 4: an apply of plan %s stopped during step 2 (update sandbox:contacts.lead_source "paid_social") before recording its outcome; live holds it, so this plan has nothing left of it. mops apply (or mops log --resolve) records it`},
	} {
		t.Run(c.at.At, func(t *testing.T) {
			f := newFixture(t, nil)
			p1 := f.Plan()
			req := f.Request(p1)
			req.Crash = func(at apply.Point) error {
				if at == c.at {
					return errCrash
				}
				return nil
			}
			if _, err := f.Apply(req); !errors.Is(err, errCrash) {
				t.Fatalf("apply error %v", err)
			}
			recs := f.Verified()
			got := apply.PendingProblems(f.Plan(), recs, f.LockDir, "test-host")
			if len(got) != 1 || got[0].Severity != plan.Warning || got[0].Message != fmt.Sprintf(c.want, p1.ID) {
				t.Errorf("problems %+v, want one warning:\n%s", got, fmt.Sprintf(c.want, p1.ID))
			}

			// The same log while an apply holds the lock: it is running.
			if err := os.MkdirAll(f.LockDir, 0o755); err != nil {
				t.Fatal(err)
			}
			holder := fmt.Sprintf(`{"pid":%d,"host":"test-host","actor":"ci","planHash":"x","since":"2026-11-27T12:00:00Z"}`, os.Getpid())
			if err := os.WriteFile(f.lockPath(), []byte(holder), 0o644); err != nil {
				t.Fatal(err)
			}
			got = apply.PendingProblems(f.Plan(), recs, f.LockDir, "test-host")
			if len(got) != 1 || !strings.Contains(got[0].Message, "an apply of plan "+p1.ID+" is running on sandbox (ci, pid ") {
				t.Errorf("with the lock held: %+v", got)
			}
		})
	}
}

// TestResolveNeverWrites: the change log is repository content too. An
// intent forged into it (here: set lead_source's options to none, which
// would delete every option) is only ever checked against live, never
// carried out: resolving it reads, records "not-applied", and writes
// nothing to live.
func TestResolveNeverWrites(t *testing.T) {
	f := newFixture(t, nil)
	before := f.live.State()
	l, err := changelog.Open(f.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	step := plan.Change{Seq: 1, Action: plan.Update, Target: leadSrc, Value: "website", Summary: "forged"}
	for _, r := range []changelog.Record{
		{Type: changelog.RunStart, PlanHash: "sha256:forged", System: "sandbox", Result: changelog.ResultStarted},
		{Type: changelog.Intent, PlanHash: "sha256:forged", System: "sandbox", Change: &step, Result: changelog.ResultIntended,
			After: live.Change{Binding: leadSrc, Action: live.ActionSetOptions, Options: []live.Option{}}},
	} {
		if _, err := l.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	res, err := apply.Resolve(context.Background(), apply.ResolveRequest{
		LogPath: f.LogPath, LockDir: f.LockDir, Providers: map[string]live.Provider{"sandbox": f.live},
		Actor: "ops", Now: func() time.Time { return now }, Host: "test-host", PID: os.Getpid(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Result != changelog.ResultNotApplied {
		t.Errorf("resolutions %+v, want the forged write not applied (and its run ended)", res)
	}
	for _, c := range f.live.Calls() {
		if c.Op != "read" && c.Op != "count" && !(c.Op == "apply" && c.Action == live.ActionSetOptions) {
			t.Errorf("resolving made a %s call", c)
		}
	}
	if diff := cmp.Diff(before, f.live.State()); diff != "" {
		t.Errorf("resolving a forged intent changed live:\n%s", diff)
	}
}
