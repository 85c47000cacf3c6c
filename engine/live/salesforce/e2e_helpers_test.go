package salesforce_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/mops-dev/mops/engine/apply/applytest"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

const (
	repoDir = "testdata/repo"
	dana    = "dana.whitfield@acme.example"
	priya   = "priya.raman@acme.example"
)

// fixture is the test repository against the emulator, with a change log
// and lock in a temporary folder.
type fixture struct {
	*applytest.Fixture
	e *env
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
	return &fixture{Fixture: applytest.New(t, repoDir, system, e.client, dana, priya), e: e}
}

var (
	what  = applytest.What
	whats = applytest.Whats
)

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
	f.T.Helper()
	ids := applytest.BatchIDs(f.T, f.Verified())
	seen := map[string]int{}
	for _, id := range ids {
		seen[id]++
	}
	var all []string
	for _, m := range ms {
		for _, id := range m.ids {
			all = append(all, m.field+"/"+id)
			if v, _ := f.e.sb.RecordValue("Lead", id, m.field); v != m.to {
				f.T.Errorf("%s of %s is %q, want %q", m.field, id, v, m.to)
			}
		}
		if left := f.e.sb.Holders("Lead", m.field, m.from); len(left) > 0 {
			f.T.Errorf("records still on %s=%s: %v", m.field, m.from, left)
		}
	}
	for id, n := range seen {
		if n > 1 {
			f.T.Errorf("record %s migrated %d times", id, n)
		}
	}
	slices.Sort(all)
	if got := slices.Sorted(maps.Keys(seen)); !slices.Equal(got, all) {
		f.T.Errorf("migrated %v, want %v", got, all)
	}
}
