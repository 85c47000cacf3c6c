package gitrepo_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
)

func TestBlameDatesEachLine(t *testing.T) {
	r := gitrepotest.New(t)
	r.Write(map[string]string{"gov/mops.yaml": "a: 1\nb: 2\nc: 3\n"})
	r.Commit("first")
	r.Write(map[string]string{"gov/mops.yaml": "a: 1\nb: 20\nc: 3\n"})
	r.Commit("second")
	repo, err := gitrepo.Open(filepath.Join(r.Dir, "gov"))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := repo.Blame("mops.yaml")
	if err != nil {
		t.Fatal(err)
	}
	first, second := gitrepotest.FirstCommit(), gitrepotest.FirstCommit().Add(time.Hour)
	want := []time.Time{first, second, first}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d", len(lines), len(want))
	}
	for i := range want {
		if !lines[i].Date.Equal(want[i]) {
			t.Errorf("line %d dated %s, want %s", i+1, lines[i].Date, want[i])
		}
	}
	if lines[1].Text != "b: 20" {
		t.Errorf("line 2 text %q, want %q", lines[1].Text, "b: 20")
	}
	if _, err := repo.Blame("missing.yaml"); err == nil {
		t.Error("blame of a file HEAD lacks must fail")
	}
}
