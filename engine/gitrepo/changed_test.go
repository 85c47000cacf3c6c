package gitrepo_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
)

func symlink(t *testing.T, link, target string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
}

func TestChangedFiles(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"mops.yaml": "p\n", "a.yaml": "a\n", "b.yaml": "b\n", "c.yaml": "c\n"})
	g.Commit("base")
	g.Tag("base")
	g.Write(map[string]string{"a.yaml": "a2\n", "d/new.yaml": "d\n"})
	g.Remove("b.yaml")
	g.Commit("head")

	r := open(t, g.Dir)
	got, err := r.ChangedFiles("base", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	want := []gitrepo.FileChange{
		{Path: "a.yaml", Status: gitrepo.Modified},
		{Path: "b.yaml", Status: gitrepo.Deleted},
		{Path: "d/new.yaml", Status: gitrepo.Added},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("base..HEAD (-want +got):\n%s", diff)
	}

	if dirty, err := r.IsDirty(); err != nil || dirty {
		t.Errorf("IsDirty after commit = %v, %v; want false", dirty, err)
	}
	g.Write(map[string]string{"c.yaml": "c, edited\n", "untracked.yaml": "u\n"})
	got, err = r.ChangedFiles("HEAD", "")
	if err != nil {
		t.Fatal(err)
	}
	want = []gitrepo.FileChange{
		{Path: "c.yaml", Status: gitrepo.Modified},
		{Path: "untracked.yaml", Status: gitrepo.Added},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HEAD..working tree (-want +got):\n%s", diff)
	}
	if dirty, err := r.IsDirty(); err != nil || !dirty {
		t.Errorf("IsDirty after edits = %v, %v; want true", dirty, err)
	}
}

// TestChangedFilesSameSize: an edit that keeps the size must still
// be seen, even though unchanged files are recognised by size and time.
func TestChangedFilesSameSize(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"a.yaml": "aaaa\n"})
	g.Commit("base")
	p := filepath.Join(g.Dir, "a.yaml")
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	g.Write(map[string]string{"a.yaml": "bbbb\n"})
	if err := os.Chtimes(p, info.ModTime().Add(time.Second), info.ModTime().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	got, err := open(t, g.Dir).ChangedFiles("HEAD", "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]gitrepo.FileChange{{Path: "a.yaml", Status: gitrepo.Modified}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestIsDirtyWithoutCommits(t *testing.T) {
	g := gitrepotest.New(t)
	r := open(t, g.Dir)
	if dirty, err := r.IsDirty(); err != nil || dirty {
		t.Errorf("empty repository: IsDirty = %v, %v", dirty, err)
	}
	g.Write(map[string]string{"mops.yaml": "p\n"})
	if dirty, err := r.IsDirty(); err != nil || !dirty {
		t.Errorf("with a file: IsDirty = %v, %v", dirty, err)
	}
}

func TestLastChange(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"gov/mops.yaml": "p\n", "gov/waivers.yaml": "w1\n"})
	g.Commit("1") // 09:00
	g.Write(map[string]string{"gov/waivers.yaml": "w2\n"})
	g.Commit("2") // 10:00
	g.Write(map[string]string{"gov/mops.yaml": "p2\n"})
	g.Commit("3") // 11:00
	g.Write(map[string]string{"README.md": "x\n"})
	g.Commit("4") // 12:00

	r := open(t, filepath.Join(g.Dir, "gov"))
	for file, hours := range map[string]int{"waivers.yaml": 1, "mops.yaml": 2} {
		got, err := r.LastChange(file)
		if err != nil {
			t.Fatal(err)
		}
		if want := gitrepotest.FirstCommit().Add(time.Duration(hours) * time.Hour); !got.Equal(want) {
			t.Errorf("LastChange(%s) = %v, want %v", file, got, want)
		}
	}
	if _, err := r.LastChange("nope.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LastChange of a missing file: %v, want fs.ErrNotExist", err)
	}
}

// TestSnapshotSame checks that Same recognises a file's content at the
// revision, and nothing else: another content, another file, a missing one.
func TestSnapshotSame(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"gov/mops.yaml": "kind: Project\n", "gov/a.yaml": "name: a\n"})
	g.Commit("first")
	s, err := open(t, filepath.Join(g.Dir, "gov")).Snapshot("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Same("a.yaml", []byte("name: a\n")) {
		t.Error("a.yaml with its committed content is not Same")
	}
	for _, c := range []struct{ file, data string }{
		{"a.yaml", "name: b\n"},
		{"a.yaml", "name: a\n\n"},
		{"mops.yaml", "name: a\n"},
		{"b.yaml", "name: a\n"},
	} {
		if s.Same(c.file, []byte(c.data)) {
			t.Errorf("%s holding %q is Same", c.file, c.data)
		}
	}
	if got := s.Files(); !slices.Equal(got, []string{"a.yaml", "mops.yaml"}) {
		t.Errorf("Files() = %v", got)
	}
}

// TestIndexStatTrustsOnlyCleanFiles checks that the index vouches for a
// file's hash only when size and modification time are as git recorded
// them and the file was not modified as the index was written.
func TestIndexStatTrustsOnlyCleanFiles(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"gov/mops.yaml": "kind: Project\n", "gov/a.yaml": "name: a\n", "gov/b.yaml": "name: b\n"})
	g.Commit("first")
	gov := filepath.Join(g.Dir, "gov")
	r := open(t, gov)
	snap, err := r.Snapshot("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := r.IndexStat()
	if err != nil {
		t.Fatal(err)
	}
	lstat := func(name string) fs.FileInfo {
		info, err := os.Lstat(filepath.Join(gov, name))
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	// Commit wrote the files before the index: a.yaml is clean.
	if h, ok := idx.Hash("a.yaml", lstat("a.yaml")); !ok || h != snap["a.yaml"] {
		t.Errorf("clean a.yaml: Hash = %v, %v; want the committed blob", h, ok)
	}
	// Same size, new content, and a modification time of now: after the
	// index was written, so it cannot vouch for the file.
	if err := os.WriteFile(filepath.Join(gov, "b.yaml"), []byte("name: c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := idx.Hash("b.yaml", lstat("b.yaml")); ok {
		t.Error("b.yaml rewritten after the index: Hash vouched for it")
	}
	// A modification time restored to before the index but another size.
	old := time.Now().Add(-time.Hour)
	if err := os.WriteFile(filepath.Join(gov, "b.yaml"), []byte("name: bb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(gov, "b.yaml"), old, old); err != nil {
		t.Fatal(err)
	}
	if _, ok := idx.Hash("b.yaml", lstat("b.yaml")); ok {
		t.Error("b.yaml with another size: Hash vouched for it")
	}
	if _, ok := idx.Hash("new.yaml", lstat("a.yaml")); ok {
		t.Error("a file the index does not list: Hash vouched for it")
	}
}
