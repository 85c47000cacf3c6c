package policy

import (
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
)

// TestWalkOrder: a run counts a package's quota in the order loading
// walks the repository, whichever order its documents were evaluated in.
func TestWalkOrder(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, f := range []string{"mops.yaml", "a.yaml", "a/b.yaml", "a-c/x.yaml", "a/b/c.yaml", "a/b-d.yaml", "b", "B.yaml", "z/a.yaml", "0.yaml", "aa/x.yaml"} {
		fsys[f] = &fstest.MapFile{}
	}
	var walked []string
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if !d.IsDir() {
			walked = append(walked, p)
		}
		return err
	})
	// mops.yaml comes first, as loading reads it first.
	want := append([]string{"mops.yaml"}, slices.DeleteFunc(slices.Clone(walked), func(f string) bool { return f == "mops.yaml" })...)
	got := slices.Clone(walked)
	slices.Reverse(got)
	slices.SortFunc(got, walkOrder)
	if !slices.Equal(got, want) {
		t.Errorf("walkOrder sorts\n %q\nwant\n %q", got, want)
	}
}
