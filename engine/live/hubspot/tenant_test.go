package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/apply"
	"github.com/mops-dev/mops/engine/apply/applytest"
	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/plan"
)

// The tests in this file turn on a behaviour of real HubSpot accounts in
// the sandbox and run plan -> apply -> plan on the example repository
// through the client, showing that it converges or reports exactly what
// remains.

const (
	acmeDir  = "../../../examples/acme"
	acmeSeed = acmeDir + "/live/sandbox-seed.json"
	dana     = "dana.whitfield@acme.example"
	priya    = "priya.raman@acme.example"
)

// acmeState is the example's sandbox seed, to edit.
func acmeState(t testing.TB) *sandbox.State {
	t.Helper()
	sb, err := sandbox.Open("", acmeSeed)
	if err != nil {
		t.Fatal(err)
	}
	return sb.State()
}

// fixture is the example repository against a sandbox holding st, through
// a client checked against the OpenAPI files.
type fixture struct {
	*applytest.Fixture
	e *env
}

func newFixture(t *testing.T, st *sandbox.State, sbOpts []sandbox.Option, opts ...hubspot.Option) *fixture {
	t.Helper()
	return newFixtureAt(t, acmeDir, st, sbOpts, opts...)
}

// newFixtureAt is newFixture for the repository in dir.
func newFixtureAt(t *testing.T, dir string, st *sandbox.State, sbOpts []sandbox.Option, opts ...hubspot.Option) *fixture {
	t.Helper()
	sb, err := sandbox.FromState(st, append([]sandbox.Option{sandbox.WithLimits(sandbox.Limits{})}, sbOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb, opts...)
	return &fixture{Fixture: applytest.New(t, dir, "sandbox", e.client, dana, priya), e: e}
}

// acmeWith copies the example repository (without its dot-folders) to a
// temporary folder, replacing in each named file the first occurrence of
// every old string with its new one.
func acmeWith(t *testing.T, edits map[string][][2]string) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(acmeDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(acmeDir, p)
		switch {
		case d.IsDir() && strings.HasPrefix(d.Name(), ".") && rel != ".":
			return fs.SkipDir
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, e := range edits[filepath.ToSlash(rel)] {
			if !strings.Contains(string(data), e[0]) {
				return fmt.Errorf("%s lacks %q; fix the test", rel, e[0])
			}
			data = []byte(strings.Replace(string(data), e[0], e[1], 1))
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// holders lists the contacts whose property is value.
func (f *fixture) holders(property, value string) []string {
	var ids []string
	for _, r := range f.e.sb.State().Objects["contacts"].Records {
		if r.Properties[property] == value {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// TestRequiredPropertiesRefuseRecords: the account requires region on a
// contact whose lead source is event, and three trade_show contacts have
// none. Through 2026-09, HubSpot holds API writes to that rule: the
// migration moves the other nine and ends partial with HubSpot's reason
// for each of the three; trade_show is not hidden; the next plan shows
// the three left. Through v3, which predates the rule, it converges.
func TestRequiredPropertiesRefuseRecords(t *testing.T) {
	st := acmeState(t)
	st.Portal = &sandbox.Portal{RequiredProperties: []sandbox.RequiredProperty{
		{Object: "contacts", Property: "region", When: map[string]string{"lead_source": "event"}},
	}}
	var bare []string
	for _, r := range st.Objects["contacts"].Records {
		if r.Properties["lead_source"] == "trade_show" && len(bare) < 3 {
			delete(r.Properties, "region")
			bare = append(bare, r.ID)
		}
	}

	f := newFixture(t, st, nil)
	res, err := f.Apply(f.Request(f.Plan()))
	var partial *apply.PartialError
	if !errors.As(err, &partial) || partial.Refused != 3 || partial.Skipped != 1 {
		t.Fatalf("apply: %v, want 3 refused and the hide skipped", err)
	}
	i := slices.IndexFunc(res.Steps, func(s apply.StepResult) bool { return s.Change.Action == plan.MigrateRecords })
	step := res.Steps[i]
	if want := bare[0] + ": region is required when lead_source is event"; step.Result != changelog.ResultPartial || step.Records != 9 || !strings.Contains(step.Note, want) {
		t.Fatalf("migration step: %s, %d moved, note %q; want partial, 9, %q", step.Result, step.Records, step.Note, want)
	}
	if got := f.holders("lead_source", "trade_show"); !slices.Equal(got, bare) {
		t.Fatalf("trade_show holders %v, want %v", got, bare)
	}
	if o, _ := readOne(t, f.e.client, bind("contacts", "lead_source")).Option("trade_show"); o.Hidden {
		t.Fatal("trade_show hidden while three contacts hold it")
	}
	p2 := f.Plan()
	if got := applytest.Whats(p2.Changes); !slices.Equal(got, []string{
		`migrate-records sandbox:contacts.lead_source value="" trade_show->event records=3`,
		`hide sandbox:contacts.lead_source value="trade_show"`,
	}) {
		t.Fatalf("next plan:\n%s", strings.Join(got, "\n"))
	}

	v3 := newFixture(t, f.e.sb.State(), nil, hubspot.WithAPIVersion(hsapi.VersionV3))
	v3.Converge()
}

// TestLifecycleStageMovesBackward: the contact lifecycle retires
// evangelist in favour of customer, an earlier stage. HubSpot ignores a
// lifecycle stage written backwards (the write answers success, the stage
// stays), so the client clears each record's stage, then sets it, and
// checks the values HubSpot answers. Plan -> apply -> plan converges and
// no contact is left on evangelist.
func TestLifecycleStageMovesBackward(t *testing.T) {
	dir := acmeWith(t, map[string][][2]string{"lifecycle/contact-lifecycle.yaml": {
		{"      entryCriteria: A closed-won deal.\n", "      entryCriteria: A closed-won deal.\n      terminal: true\n"},
		{"      terminal: true\n  transitions:", "      deprecated: true\n      replacedBy: customer\n  transitions:"},
		{"    - from: customer\n      to: [evangelist]\n", ""},
	}})
	f := newFixtureAt(t, dir, acmeState(t), nil)
	evangelists := f.holders("lifecyclestage", "evangelist")
	p := f.Plan()
	for _, want := range []string{
		fmt.Sprintf(`migrate-records sandbox:contacts.lifecyclestage value="" evangelist->customer records=%d`, len(evangelists)),
		`hide sandbox:contacts.lifecyclestage value="evangelist"`,
	} {
		if !slices.Contains(applytest.Whats(p.Changes), want) {
			t.Fatalf("plan lacks %s:\n%s", want, strings.Join(applytest.Whats(p.Changes), "\n"))
		}
	}
	if _, err := f.Apply(f.Request(p)); err != nil {
		t.Fatal(err)
	}
	if p2 := f.Plan(); !p2.Empty() {
		t.Fatalf("not converged:\n%s", strings.Join(applytest.Whats(p2.Changes), "\n"))
	}
	for _, id := range evangelists {
		if v, _ := f.e.sb.RecordValues("contacts", id); v["lifecyclestage"] != "customer" {
			t.Errorf("contact %s is at %q, want customer", id, v["lifecyclestage"])
		}
	}
}

// virtualClock is the time the sandbox and the client share in a test:
// every reading moves it on by a millisecond (requests take time), and a
// client's wait moves it on by the wait, at once.
type virtualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// TestSearchLagAndTheTenThousandCap: 10,512 contacts hold the deprecated
// trade_show, more than one search query pages through, and the sandbox's
// search index shows each write 3 s after it. The client collects them by
// id, never by offset, waits for the index to show its writes before the
// migration ends, and only then is trade_show hidden: the plan right after
// is empty, and no contact is left behind or written twice.
func TestSearchLagAndTheTenThousandCap(t *testing.T) {
	st := acmeState(t)
	st.Portal = &sandbox.Portal{SearchLag: emulator.Duration(3 * time.Second)}
	contacts := st.Objects["contacts"]
	for i := range 10500 {
		contacts.Records = append(contacts.Records, &sandbox.Record{ID: fmt.Sprint(100000 + i), Properties: map[string]string{"lead_source": "trade_show"}})
	}
	clock := &virtualClock{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	f := newFixture(t, st, []sandbox.Option{sandbox.WithClock(clock.Now)}, hubspot.WithClock(clock))
	trade := f.holders("lead_source", "trade_show")
	if len(trade) != 10512 {
		t.Fatalf("%d contacts on trade_show, want 10512", len(trade))
	}
	p := f.Plan()
	if want := `migrate-records sandbox:contacts.lead_source value="" trade_show->event records=10512`; !slices.Contains(applytest.Whats(p.Changes), want) {
		t.Fatalf("plan lacks %s:\n%s", want, strings.Join(applytest.Whats(p.Changes), "\n"))
	}
	if _, err := f.Apply(f.Request(p)); err != nil {
		t.Fatal(err)
	}
	if p2 := f.Plan(); !p2.Empty() {
		t.Fatalf("the plan right after apply is not empty:\n%s", strings.Join(applytest.Whats(p2.Changes), "\n"))
	}
	if left := f.holders("lead_source", "trade_show"); len(left) > 0 {
		t.Fatalf("%d contacts still on trade_show, e.g. %v", len(left), left[:min(5, len(left))])
	}
	ids := applytest.BatchIDs(t, f.Verified())
	slices.Sort(ids)
	if n := len(slices.Compact(ids)); n != len(ids) || n != 10512 {
		t.Fatalf("%d batch ids, %d distinct; want each of the 10512 once", len(ids), n)
	}
}

// TestSharedRateLimitBudget: the portal's other integrations spend 80 of
// the 100 requests of every ten-second window, and 6,012 contacts move in
// 61 batches. The
// client reads HubSpot's rate-limit headers, spreads its calls over what
// the window has left, and waits a window out after a 429, so apply
// converges; pacing to the whole budget and backing off for less than the
// window would give up.
func TestSharedRateLimitBudget(t *testing.T) {
	st := acmeState(t)
	st.Portal = &sandbox.Portal{SharedUse: 80}
	contacts := st.Objects["contacts"]
	for i := range 6000 {
		contacts.Records = append(contacts.Records, &sandbox.Record{ID: fmt.Sprint(100000 + i), Properties: map[string]string{"lead_source": "trade_show"}})
	}
	clock := &virtualClock{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	f := newFixture(t, st,
		[]sandbox.Option{sandbox.WithClock(clock.Now), sandbox.WithLimits(sandbox.Limits{Requests: 100, Per: 10 * time.Second})},
		hubspot.WithClock(clock), hubspot.WithLimits(hubspot.Limits{Concurrent: 10}))
	f.Converge()
	if left := f.holders("lead_source", "trade_show"); len(left) > 0 {
		t.Fatalf("%d contacts still on trade_show", len(left))
	}
	if n := f.e.tr.statuses[429]; n > 1 {
		t.Errorf("HubSpot answered 429 %d times; the headers should have kept the client under the shared budget", n)
	}
}
