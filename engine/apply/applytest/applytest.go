// Package applytest runs plan → apply → plan against a live provider the
// way the commands do, for the end-to-end tests of the live-system
// clients: the repository is loaded from a folder, plans come from
// package reconcile, approvals from the built-in approval policy, and the
// change log and locks live in a temporary folder. Only tests import it.
package applytest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/reconcile"
)

// Now is the time every fixture plans and applies at.
var Now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// Fixture is a repository governing one system, a provider for it, and a
// change log and lock folder of its own.
type Fixture struct {
	T      testing.TB
	Bundle *model.Bundle
	// Provider is what plans read and applies write; tests may wrap it.
	Provider live.Provider
	System   string
	// Approvers approve every apply: enough for the repository's RACI.
	Approvers []string
	// Options are what plans are made with; System and Now are set.
	Options          reconcile.Options
	LogPath, LockDir string

	plans int // plans made, each a second after the one before
}

// New loads the repository in dir (which must validate) and returns a
// fixture planning and applying system through p.
func New(t testing.TB, dir, system string, p live.Provider, approvers ...string) *Fixture {
	t.Helper()
	b, err := bundle(dir)
	if err != nil {
		t.Fatal(err)
	}
	return For(t, b, system, p, approvers...)
}

// For returns a fixture planning the loaded repository b for system
// through p, with a change log and lock folder of its own.
func For(t testing.TB, b *model.Bundle, system string, p live.Provider, approvers ...string) *Fixture {
	tmp := t.TempDir()
	return &Fixture{
		T: t, Bundle: b, Provider: p, System: system, Approvers: approvers,
		Options: reconcile.Options{System: system, Now: Now, MopsVersion: "test"},
		LogPath: filepath.Join(tmp, ".mops", "changelog"), LockDir: filepath.Join(tmp, ".mops", "locks"),
	}
}

func bundle(dir string) (*model.Bundle, error) {
	b, findings, err := load.Load(os.DirFS(dir), load.Options{})
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

// approver adapts the built-in approval policy to apply.Approver, as the
// commands do. It is compiled once per test binary: compiling takes a
// while, and the compiled policy is only read.
type approver struct{ p *policy.Approver }

func (a approver) Missing(ctx context.Context, in apply.ApprovalInput) ([]string, error) {
	return a.p.Missing(ctx, in)
}

var builtinApprover = sync.OnceValues(func() (apply.Approver, error) {
	p, err := policy.NewApprover(context.Background(), policy.Options{})
	return approver{p}, err
})

// PlanWithProblems makes a sealed plan of the fixture's system, problems
// and all.
func (f *Fixture) PlanWithProblems() *plan.Plan {
	f.T.Helper()
	// Each plan is made a second after the one before: two plans of the
	// same content are two plan files (hashes), as in life, and apply
	// takes each once.
	f.plans++
	opts := f.Options
	opts.Now = opts.Now.Add(time.Duration(f.plans) * time.Second)
	p, err := reconcile.Plan(context.Background(), f.Bundle, f.Provider, opts)
	if err != nil {
		f.T.Fatal(err)
	}
	if err := p.Seal(); err != nil {
		f.T.Fatal(err)
	}
	return p
}

// Plan makes a sealed plan and fails the test when it has errors.
func (f *Fixture) Plan() *plan.Plan {
	f.T.Helper()
	p := f.PlanWithProblems()
	if p.HasErrors() {
		f.T.Fatalf("plan has errors: %+v", p.Problems)
	}
	return p
}

// Request is the apply of p as the commands make it, approved by the
// fixture's approvers.
func (f *Fixture) Request(p *plan.Plan) apply.Request {
	f.T.Helper()
	a, err := builtinApprover()
	if err != nil {
		f.T.Fatal(err)
	}
	return apply.Request{
		Plan: p, Bundle: f.Bundle, Providers: map[string]live.Provider{f.System: f.Provider},
		LogPath: f.LogPath, LockDir: f.LockDir,
		Actor: "ci", Approvers: f.Approvers,
		Now: func() time.Time { return Now }, Approval: a,
		Host: "test-host", PID: os.Getpid(),
	}
}

// Apply runs req.
func (f *Fixture) Apply(req apply.Request) (*apply.Result, error) {
	return apply.Run(context.Background(), req)
}

// Verified reads the change log and fails the test if its chain is broken.
func (f *Fixture) Verified() []changelog.Record {
	f.T.Helper()
	recs, problems, err := changelog.Verify(f.LogPath)
	if err != nil {
		f.T.Fatal(err)
	}
	if len(problems) > 0 {
		f.T.Fatalf("change log problems: %+v", problems)
	}
	return recs
}

// Converge applies a fresh plan and checks that the plan after it is
// empty.
func (f *Fixture) Converge() {
	f.T.Helper()
	p := f.Plan()
	if _, err := f.Apply(f.Request(p)); err != nil {
		f.T.Fatalf("applying the fresh plan: %v", err)
	}
	if p2 := f.Plan(); !p2.Empty() {
		f.T.Fatalf("not converged; still planned:\n%s", strings.Join(Whats(p2.Changes), "\n"))
	}
}

// What renders a change without its sequence number.
func What(c plan.Change) string {
	s := fmt.Sprintf("%s %s value=%q", c.Action, c.Target, c.Value)
	if c.Action == plan.MigrateRecords {
		s += fmt.Sprintf(" %s->%s records=%d", c.From, c.To, c.Records)
	}
	if c.Action == plan.Update && c.Value == "" {
		s += " order=" + strings.Join(c.OrderAfter, ",")
	}
	return s
}

// Whats renders changes with What.
func Whats(cs []plan.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, What(c))
	}
	return out
}

// BatchIDs collects "property/id" for every record id of every batch
// record in the log.
func BatchIDs(t testing.TB, recs []changelog.Record) []string {
	t.Helper()
	var ids []string
	for _, r := range recs {
		if r.Type != changelog.Batch {
			continue
		}
		br := BatchOf(t, r)
		for _, id := range br.IDs {
			ids = append(ids, r.Change.Target.Property+"/"+id)
		}
	}
	return ids
}

// BatchOf decodes the batch a batch record carries.
func BatchOf(t testing.TB, r changelog.Record) live.BatchResult {
	t.Helper()
	data, err := json.Marshal(r.After)
	if err != nil {
		t.Fatal(err)
	}
	var br live.BatchResult
	if err := json.Unmarshal(data, &br); err != nil {
		t.Fatal(err)
	}
	return br
}
