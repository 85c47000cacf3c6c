package changelog_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
)

// buildLog writes a run of five records the way apply does (run-start, a
// change, a batch, a change, run-end) and returns the log's path and lines.
func buildLog(t *testing.T) (string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), ".mops", "changelog")
	appendRun(t, path, "sha256:plan-a")
	return path, lines(t, path)
}

func appendRun(t *testing.T, path, planHash string) {
	t.Helper()
	l, err := changelog.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	b := live.Binding{System: "sandbox", Object: "contacts", Property: "lead_source"}
	mig := plan.Change{Seq: 1, Action: plan.MigrateRecords, Target: b, From: "trade_show", To: "event", Records: 2, Destructive: true}
	hide := plan.Change{Seq: 2, Action: plan.Hide, Target: b, Value: "trade_show"}
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i, r := range []changelog.Record{
		{Type: changelog.RunStart, Result: changelog.ResultStarted},
		{Type: changelog.Batch, Change: &mig, After: live.BatchResult{Seq: 1, IDs: []string{"1013", "1015"}, Updated: 2}, Result: changelog.ResultApplied},
		{Type: changelog.Change, Change: &mig, After: live.MigrationResult{Batches: 1, Updated: 2}, Result: changelog.ResultApplied},
		{Type: changelog.Change, Change: &hide, Before: []live.Option{{Value: "trade_show", Label: "Trade Show"}},
			After: []live.Option{{Value: "trade_show", Label: "Trade Show", Hidden: true}}, Result: changelog.ResultApplied},
		{Type: changelog.RunEnd, Result: changelog.ResultCompleted},
	} {
		r.Time = at.Add(time.Duration(i) * time.Second)
		r.Actor, r.Approvers, r.PlanHash, r.System = "ci", []string{"dana.whitfield@acme.example", "priya.raman@acme.example"}, planHash, "sandbox"
		if _, err := l.Append(r); err != nil {
			t.Fatal(err)
		}
	}
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func writeLines(t *testing.T, path string, ls []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestAppendChainsAndVerifies(t *testing.T) {
	path, ls := buildLog(t)
	if len(ls) != 5 {
		t.Fatalf("log has %d lines, want one per record (5)", len(ls))
	}
	recs, problems, err := changelog.Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("an untouched log has problems: %+v", problems)
	}
	for i, r := range recs {
		if r.Seq != i+1 {
			t.Errorf("record %d has seq %d", i+1, r.Seq)
		}
		if i == 0 && r.Prev != "" {
			t.Errorf("first record links to %q, want nothing", r.Prev)
		}
		if i > 0 && r.Prev != recs[i-1].Hash {
			t.Errorf("record %d does not link to the one before", i+1)
		}
	}
	// A second run opened later continues the chain.
	appendRun(t, path, "sha256:plan-b")
	recs, problems, err = changelog.Verify(path)
	if err != nil || len(problems) > 0 || len(recs) != 10 {
		t.Fatalf("after a second run: %d records, problems %+v, err %v", len(recs), problems, err)
	}
	if r, ok := changelog.Applied(recs, "sha256:plan-b"); !ok || r.Seq != 6 {
		t.Errorf("Applied(plan-b) = %d, %v; want the run-start at seq 6", r.Seq, ok)
	}
	if _, ok := changelog.Applied(recs, "sha256:plan-c"); ok {
		t.Errorf("Applied reports a plan that never ran")
	}
}

func TestReadMissingLogIsEmpty(t *testing.T) {
	recs, problems, err := changelog.Verify(filepath.Join(t.TempDir(), "none"))
	if err != nil || len(recs) != 0 || len(problems) != 0 {
		t.Fatalf("missing log: %d records, %v problems, err %v", len(recs), problems, err)
	}
}

// TestVerifyFindsTampering edits the log the ways an attacker (or a bad
// merge) could and checks that Verify points at the first line that no
// longer fits.
//
// Not tested, because the chain alone cannot detect it: deleting the LAST
// record(s). Every remaining record still links to the one before, so the
// truncated log is a valid chain. The same holds for rewriting the whole
// tail with fresh hashes. The log is committed to git with the repository,
// and git history is what shows such a truncation; a test here would only
// pretend.
func TestVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name string
		// tamper returns the new lines of the log.
		tamper func(t *testing.T, path string, ls []string) []string
		line   int    // first line Verify must report
		msg    string // in that problem's message
		only   bool   // the reported line is the only one
	}{
		{"edit a field", func(t *testing.T, _ string, ls []string) []string {
			ls[2] = strings.Replace(ls[2], `"actor":"ci"`, `"actor":"mallory"`, 1)
			return ls
		}, 3, "record was edited", true},
		{"edit a record count", func(t *testing.T, _ string, ls []string) []string {
			ls[1] = strings.Replace(ls[1], `"records":2`, `"records":1`, 1)
			return ls
		}, 2, "record was edited", true},
		{"delete a middle record", func(t *testing.T, _ string, ls []string) []string {
			return slices.Delete(ls, 2, 3)
		}, 3, "chain broken", false},
		{"insert a record from another log", func(t *testing.T, _ string, ls []string) []string {
			// A record with a valid hash of its own, chained to a
			// record of another log.
			other := filepath.Join(t.TempDir(), "other")
			appendRun(t, other, "sha256:forged")
			forged := lines(t, other)[3]
			return slices.Insert(ls, 3, forged)
		}, 4, "chain broken", false},
		{"insert a record chained to the one before it", func(t *testing.T, _ string, ls []string) []string {
			// The strongest forgery short of rewriting the rest of the
			// log: a record with a valid hash and the right link and
			// seq. The record after it no longer links to its
			// predecessor, which gives it away.
			head := filepath.Join(t.TempDir(), "head")
			writeLines(t, head, ls[:3])
			l, err := changelog.Open(head)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := l.Append(changelog.Record{Type: changelog.Change, Actor: "mallory", System: "sandbox", Result: changelog.ResultApplied}); err != nil {
				t.Fatal(err)
			}
			return slices.Insert(ls, 3, lines(t, head)[3])
		}, 5, "chain broken", false},
		{"reorder two records", func(t *testing.T, _ string, ls []string) []string {
			ls[1], ls[2] = ls[2], ls[1]
			return ls
		}, 2, "chain broken", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, ls := buildLog(t)
			writeLines(t, path, c.tamper(t, path, ls))
			_, problems, err := changelog.Verify(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) == 0 {
				t.Fatal("Verify found nothing wrong")
			}
			first := problems[0]
			if first.Line != c.line || !strings.Contains(first.Message, c.msg) {
				t.Errorf("first problem %+v, want line %d with %q; all: %+v", first, c.line, c.msg, problems)
			}
			if c.only {
				for _, p := range problems {
					if p.Line != c.line {
						t.Errorf("unexpected problem %+v", p)
					}
				}
			}
		})
	}
}

func TestVerifyRejectsGarbage(t *testing.T) {
	path, ls := buildLog(t)
	ls[1] = `{"seq": 2, "type": "change", ` // a torn line
	writeLines(t, path, ls)
	_, _, err := changelog.Verify(path)
	if err == nil || !strings.Contains(err.Error(), ":2: not a change log record") {
		t.Fatalf("error %v, want one naming line 2", err)
	}
}
