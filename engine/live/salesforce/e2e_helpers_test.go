package salesforce_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/reconcile"
)

const (
	repoDir = "testdata/repo"
	dana    = "dana.whitfield@acme.example"
	priya   = "priya.raman@acme.example"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// approver adapts the real approval policy to apply.Approver, as the CLI
// does. It is compiled once per test binary.
type approver struct{ p *policy.Approver }

func (a approver) Missing(ctx context.Context, in apply.ApprovalInput) ([]string, error) {
	return a.p.Missing(ctx, in)
}

var builtinApprover = sync.OnceValues(func() (apply.Approver, error) {
	p, err := policy.NewApprover(context.Background(), policy.Options{})
	return approver{p}, err
})

var repoBundle = sync.OnceValues(func() (*model.Bundle, error) {
	b, findings, err := load.Load(os.DirFS(repoDir), load.Options{})
	if err != nil {
		return nil, err
	}
	for _, f := range findings {
		if f.Blocking() {
			return nil, fmt.Errorf("%s:%d: %s", f.File, f.Line, f.Message)
		}
	}
	return b, nil
})

// fixture is the test repository against the emulator, with a change log
// and lock in a temporary folder.
type fixture struct {
	t        *testing.T
	e        *env
	provider live.Provider
	bundle   *model.Bundle
	logPath  string
	lockDir  string
}

func newFixture(t *testing.T, st *sfsandbox.State) *fixture {
	t.Helper()
	if st == nil {
		st = seedState(t)
	}
	sb, err := sfsandbox.FromState(st, sfsandbox.WithPageSize(50))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb)
	b, err := repoBundle()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return &fixture{t: t, e: e, provider: e.client, bundle: b,
		logPath: filepath.Join(dir, ".mops", "changelog"), lockDir: filepath.Join(dir, ".mops", "locks")}
}

func (f *fixture) plan() *plan.Plan {
	f.t.Helper()
	p, err := reconcile.Plan(context.Background(), f.bundle, f.provider, reconcile.Options{System: system, Now: now, MopsVersion: "test"})
	if err != nil {
		f.t.Fatal(err)
	}
	if p.HasErrors() {
		f.t.Fatalf("plan has errors: %+v", p.Problems)
	}
	if err := p.Seal(); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) request(p *plan.Plan) apply.Request {
	f.t.Helper()
	a, err := builtinApprover()
	if err != nil {
		f.t.Fatal(err)
	}
	return apply.Request{
		Plan: p, Bundle: f.bundle, Providers: map[string]live.Provider{system: f.provider},
		LogPath: f.logPath, LockDir: f.lockDir,
		Actor: "ci", Approvers: []string{dana, priya},
		Now: func() time.Time { return now }, Approval: a,
		Host: "test-host", PID: os.Getpid(),
	}
}

func (f *fixture) apply(req apply.Request) (*apply.Result, error) {
	return apply.Run(context.Background(), req)
}

// verified reads the change log and fails the test if its chain is broken.
func (f *fixture) verified() []changelog.Record {
	f.t.Helper()
	recs, problems, err := changelog.Verify(f.logPath)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(problems) > 0 {
		f.t.Fatalf("change log problems: %+v", problems)
	}
	return recs
}

// converge applies a fresh plan and checks that the plan after it is empty.
func (f *fixture) converge() {
	f.t.Helper()
	p := f.plan()
	if _, err := f.apply(f.request(p)); err != nil {
		f.t.Fatalf("applying the fresh plan: %v", err)
	}
	if p2 := f.plan(); !p2.Empty() {
		f.t.Fatalf("not converged; still planned:\n%s", strings.Join(whats(p2.Changes), "\n"))
	}
}

// what renders a change without its sequence number.
func what(c plan.Change) string {
	s := fmt.Sprintf("%s %s value=%q", c.Action, c.Target, c.Value)
	if c.Action == plan.MigrateRecords {
		s += fmt.Sprintf(" %s->%s records=%d", c.From, c.To, c.Records)
	}
	if c.Action == plan.Update && c.Value == "" {
		s += " order=" + strings.Join(c.OrderAfter, ",")
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

// batchIDs collects "field/id" for every record id of every batch record
// in the log.
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
		for _, id := range br.IDs {
			ids = append(ids, r.Change.Target.Property+"/"+id)
		}
	}
	return ids
}

// migration is one deprecated value of the fixture and its records.
type migration struct {
	field, from, to string
	ids             []string
}

func (f *fixture) migrations() []migration {
	ms := []migration{
		{field: "Region__c", from: "latam", to: "na"},
		{field: "Segment__c", from: "Startup", to: "SMB"},
		{field: "LeadSource", from: "Trade Show", to: "Event"},
	}
	for i := range ms {
		ms[i].ids = f.e.sb.Holders("Lead", ms[i].field, ms[i].from)
	}
	return ms
}

// checkMigrated asserts that every record was moved exactly once across
// every run in the log, and that none holds a deprecated value.
func (f *fixture) checkMigrated(ms []migration) {
	f.t.Helper()
	ids := batchIDs(f.t, f.verified())
	seen := map[string]int{}
	for _, id := range ids {
		seen[id]++
	}
	var all []string
	for _, m := range ms {
		for _, id := range m.ids {
			all = append(all, m.field+"/"+id)
			if v, _ := f.e.sb.RecordValue("Lead", id, m.field); v != m.to {
				f.t.Errorf("%s of %s is %q, want %q", m.field, id, v, m.to)
			}
		}
		if left := f.e.sb.Holders("Lead", m.field, m.from); len(left) > 0 {
			f.t.Errorf("records still on %s=%s: %v", m.field, m.from, left)
		}
	}
	for id, n := range seen {
		if n > 1 {
			f.t.Errorf("record %s migrated %d times", id, n)
		}
	}
	slices.Sort(all)
	if got := slices.Sorted(maps.Keys(seen)); !slices.Equal(got, all) {
		f.t.Errorf("migrated %v, want %v", got, all)
	}
}
