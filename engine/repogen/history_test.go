package repogen

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/gitrepo"
)

// TestExampleHistoryEndsAtTheExample: the last commit of the example's
// history is examples/acme as it is, and the history before it holds the
// QA fixes and slips that give its scorecard something to show.
func TestExampleHistoryEndsAtTheExample(t *testing.T) {
	dir := t.TempDir()
	n, err := WriteExampleHistory(dir, filepath.Join("..", "..", "examples", "acme"), time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want, err := exampleFiles(filepath.Join("..", "..", "examples", "acme"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readTree(dir, func(top string) bool { return top == ".git" })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checked-out tree differs from examples/acme (-want +got):\n%s", diff)
	}
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	commits, err := repo.FirstParent("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	var fixes, slips int
	for i, c := range commits {
		if i > 0 && c.When.Before(commits[i-1].When) {
			t.Errorf("commit %d (%s) is dated before the one before it", i, c.Subject)
		}
		fixes += strings.Count(c.Subject, "QA fix")
		slips += strings.Count(c.Subject, "Move the launch")
	}
	if len(commits) != n || fixes == 0 || slips == 0 {
		t.Errorf("%d commits (wrote %d), %d QA fixes, %d slips; want some of each", len(commits), n, fixes, slips)
	}
}

// TestHistoryShape: a small generated history has its commits in order,
// within the weeks asked, some campaigns fixed and slipped, in year/quarter folders; the same options give the
// same history.
func TestHistoryShape(t *testing.T) {
	base, err := baseFiles(filepath.Join("..", "..", "examples", "acme"))
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	opts := HistoryOptions{Campaigns: 300, Commits: 120, Weeks: 26, End: end}
	commits, err := History(base, opts)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := History(base, opts)
	if len(commits) != len(again) || commits[len(commits)-1].Message != again[len(again)-1].Message {
		t.Error("the same options gave another history")
	}
	if len(commits) < 80 || len(commits) > 120 {
		t.Errorf("%d commits; want close to 120", len(commits))
	}
	fixes, slips := 0, 0
	for i, c := range commits {
		if i > 0 && !c.When.After(commits[i-1].When) {
			t.Errorf("commit %d is not after the one before", i)
		}
		if c.When.After(end.Add(24*time.Hour)) || c.When.Before(end.AddDate(0, 0, -7*26-7)) {
			t.Errorf("commit %d dated %s, outside the 26 weeks", i, c.When)
		}
		for p := range c.Files {
			if strings.HasPrefix(p, CampaignDir+"/") && strings.Count(p, "/") != 3 {
				t.Errorf("%s is not in a year/quarter folder", p)
			}
		}
		fixes += strings.Count(c.Message, "QA fix")
		slips += strings.Count(c.Message, "Move the launch")
	}
	if fixes == 0 || slips == 0 {
		t.Errorf("%d QA fixes and %d slips; want some of each", fixes, slips)
	}
}

func TestWithHolidaysReplacesTheBaseList(t *testing.T) {
	sla := "kind: SLA\nspec:\n  target: 10bd\n  holidays: [2026-12-25]\n"
	got := string(withHolidays([]byte(sla), 2026))
	if strings.Count(got, "holidays:") != 1 || !strings.Contains(got, "2027-12-26") {
		t.Errorf("withHolidays:\n%s", got)
	}
}
