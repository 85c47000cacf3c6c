package gitrepo_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
)

// TestCommitChanges lists, commit by commit along the first-parent
// history, the files of the governance folder each one added, changed and
// deleted; files outside the folder do not count.
func TestCommitChanges(t *testing.T) {
	r := gitrepotest.New(t)
	r.Write(map[string]string{"gov/mops.yaml": "a", "gov/campaigns/q1/x.yaml": "x", "README.md": "outside"})
	first := r.Commit("first")
	r.Write(map[string]string{"gov/campaigns/q1/x.yaml": "x2", "gov/campaigns/q2/y.yaml": "y", "README.md": "outside 2"})
	second := r.Commit("second")
	r.Remove("gov/campaigns/q1")
	third := r.Commit("third")

	repo, err := gitrepo.Open(r.Dir + "/gov")
	if err != nil {
		t.Fatal(err)
	}
	commits, err := repo.FirstParent("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for _, c := range commits {
		hashes = append(hashes, c.Hash)
	}
	if diff := cmp.Diff([]string{first, second, third}, hashes); diff != "" {
		t.Fatalf("first-parent history, oldest first (-want +got):\n%s", diff)
	}
	type change struct {
		Path     string
		Add, Del bool
	}
	want := map[string][]change{
		first:  {{"campaigns/q1/x.yaml", true, false}, {"mops.yaml", true, false}},
		second: {{"campaigns/q1/x.yaml", false, false}, {"campaigns/q2/y.yaml", true, false}},
		third:  {{"campaigns/q1/x.yaml", false, true}},
	}
	for _, h := range hashes {
		chs, err := repo.CommitChanges(h)
		if err != nil {
			t.Fatal(err)
		}
		var got []change
		for _, c := range chs {
			got = append(got, change{c.Path, c.From.IsZero(), c.To.IsZero()})
		}
		if diff := cmp.Diff(want[h], got); diff != "" {
			t.Errorf("changes of %s (-want +got):\n%s", h[:7], diff)
		}
	}
}
