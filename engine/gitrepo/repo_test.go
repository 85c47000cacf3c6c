package gitrepo_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repofs"
)

func open(t *testing.T, dir string) *gitrepo.Repo {
	t.Helper()
	r, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return r
}

func readFile(t *testing.T, fsys fs.FS, name string) string {
	t.Helper()
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return string(data)
}

func TestFSAtRevisions(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"mops.yaml": "v1\n", "taxonomies/channel.yaml": "one\n"})
	first := g.Commit("first")
	g.Tag("v1")
	g.Write(map[string]string{"taxonomies/channel.yaml": "two\n"})
	g.Commit("second")
	g.RemoteBranch("origin", "main")
	g.Write(map[string]string{"taxonomies/channel.yaml": "three (uncommitted)\n"})

	r := open(t, g.Dir)
	for _, ref := range []string{"v1", "HEAD~1", first, first[:8], "main~1", "origin/main~1", "refs/tags/v1"} {
		fsys, c, err := r.FS(ref)
		if err != nil {
			t.Fatalf("FS(%s): %v", ref, err)
		}
		if c.Hash != first {
			t.Errorf("FS(%s) resolved to %s, want %s", ref, c.Short(), first[:7])
		}
		if got := readFile(t, fsys, "taxonomies/channel.yaml"); got != "one\n" {
			t.Errorf("FS(%s) channel.yaml = %q, want %q", ref, got, "one\n")
		}
	}
	fsys, c, err := r.FS("main")
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, fsys, "taxonomies/channel.yaml"); got != "two\n" {
		t.Errorf("main: channel.yaml = %q", got)
	}
	if c.Subject != "second" || c.Author != "Test Author <author@example.com>" {
		t.Errorf("commit = %+v", c)
	}
	if want := gitrepotest.FirstCommit().Add(time.Hour); !c.When.Equal(want) {
		t.Errorf("commit date %v, want %v", c.When, want)
	}
}

// TestFSConforms runs the standard library's file system checks over a
// tree with nested folders, an executable and symbolic links.
func TestFSConforms(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{
		"mops.yaml":                   "project\n",
		"taxonomies/channel.yaml":     "channel\n",
		"taxonomies/region.yml":       "region\n",
		"taxonomies/deep/nested.yaml": "nested\n",
		"campaigns/a.yaml":            "a\n",
		"README.md":                   "readme\n",
	})
	symlink(t, filepath.Join(g.Dir, "shared.yaml"), "taxonomies/channel.yaml")
	symlink(t, filepath.Join(g.Dir, "tax"), "taxonomies")
	g.Commit("files")
	fsys, _, err := open(t, g.Dir).FS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(fsys, "mops.yaml", "taxonomies/deep/nested.yaml", "campaigns/a.yaml", "shared.yaml"); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, fsys, "shared.yaml"); got != "channel\n" {
		t.Errorf("symlinked file = %q", got)
	}
	if got := readFile(t, fsys, "tax/region.yml"); got != "region\n" {
		t.Errorf("file under a symlinked folder = %q", got)
	}
	if _, err := fs.ReadFile(fsys, "missing.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := fs.ReadFile(fsys, "mops.yaml/x"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("path through a file: %v, want fs.ErrNotExist", err)
	}
}

func TestSymlinkOutsideIsRefused(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"gov/mops.yaml": "p\n", "secret.txt": "s\n"})
	symlink(t, filepath.Join(g.Dir, "gov", "escape.yaml"), "../secret.txt")
	g.Commit("escape")
	fsys, _, err := open(t, filepath.Join(g.Dir, "gov")).FS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	var outside *repofs.OutsideError
	if _, err := fs.ReadFile(fsys, "escape.yaml"); !errors.As(err, &outside) || outside.Link != "escape.yaml" {
		t.Errorf("err = %v, want an *repofs.OutsideError at escape.yaml", err)
	}
}

// TestTreeAndWorkingTreeAgreeOnLinks reads the same links from a commit
// and from the working tree (repofs): each is followed by both views or
// refused by both, at the same link.
func TestTreeAndWorkingTreeAgreeOnLinks(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"gov/mops.yaml": "p\n", "gov/docs/real.yaml": "real\n", "secret.txt": "SECRET\n"})
	for link, target := range map[string]string{
		"gov/inside.yaml":    "docs/real.yaml",
		"gov/docs/up.yaml":   "../inside.yaml",
		"gov/dirlink":        "docs",
		"gov/climb.yaml":     "../secret.txt",
		"gov/absolute.yaml":  filepath.Join(g.Dir, "secret.txt"),
		"gov/hop.yaml":       "climb.yaml",
		"gov/outdir":         "..",
		"gov/dangling.yaml":  "docs/none.yaml",
		"gov/docs/deep.yaml": "../../gov/docs/real.yaml",
	} {
		symlink(t, filepath.Join(g.Dir, filepath.FromSlash(link)), target)
	}
	g.Commit("links")
	tree, _, err := open(t, filepath.Join(g.Dir, "gov")).FS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	work, err := repofs.Open(filepath.Join(g.Dir, "gov"))
	if err != nil {
		t.Fatal(err)
	}
	defer work.Close()
	outcome := func(fsys fs.FS, name string) string {
		data, err := repofs.ReadFile(fsys, name, 0)
		var outside *repofs.OutsideError
		switch {
		case errors.As(err, &outside):
			return "outside at " + outside.Link
		case errors.Is(err, fs.ErrNotExist):
			return "missing"
		case err != nil:
			return "error"
		}
		return string(data)
	}
	for name, want := range map[string]string{
		"inside.yaml": "real\n", "docs/up.yaml": "real\n", "dirlink/real.yaml": "real\n",
		"climb.yaml": "outside at climb.yaml", "absolute.yaml": "outside at absolute.yaml",
		"hop.yaml": "outside at climb.yaml", "outdir/secret.txt": "outside at outdir",
		"dangling.yaml": "missing", "docs/deep.yaml": "outside at docs/deep.yaml",
	} {
		if got := outcome(tree, name); got != want {
			t.Errorf("commit: %s: %q, want %q", name, got, want)
		}
		if got := outcome(work, name); got != want {
			t.Errorf("working tree: %s: %q, want %q", name, got, want)
		}
	}
}

// TestSubfolder opens a governance folder that is a subfolder of the git
// repository, as examples/acme is.
func TestSubfolder(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"README.md": "root\n", "examples/acme/mops.yaml": "acme\n", "examples/acme/sla.yaml": "sla\n"})
	g.Commit("acme")
	g.Tag("v1")
	g.Write(map[string]string{"examples/acme/sla.yaml": "sla v2\n", "README.md": "changed outside\n"})
	g.Commit("sla")

	r := open(t, filepath.Join(g.Dir, "examples", "acme"))
	if r.Subdir() != "examples/acme" {
		t.Errorf("Subdir = %q", r.Subdir())
	}
	fsys, _, err := r.FS("v1")
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(fsys, "mops.yaml", "sla.yaml"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(fsys, "README.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("README.md outside the folder is visible: %v", err)
	}
	changed, err := r.ChangedFiles("v1", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]gitrepo.FileChange{{Path: "sla.yaml", Status: gitrepo.Modified}}, changed); diff != "" {
		t.Errorf("ChangedFiles (-want +got):\n%s", diff)
	}
}

// TestFolderMissingAtRevision: before mops was adopted the governance
// folder did not exist; its tree is then empty rather than an error.
func TestFolderMissingAtRevision(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"README.md": "root\n"})
	g.Commit("before mops")
	g.Write(map[string]string{"gov/mops.yaml": "p\n"})
	g.Commit("adopt mops")
	fsys, _, err := open(t, filepath.Join(g.Dir, "gov")).FS("HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil || len(entries) != 0 {
		t.Errorf("ReadDir = %v, %v; want empty", entries, err)
	}
	if err := fstest.TestFS(fsys); err != nil {
		t.Fatal(err)
	}
}

func TestUnknownRef(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"mops.yaml": "p\n"})
	g.Commit("only")
	r := open(t, g.Dir)
	for ref, want := range map[string]string{
		"v9":           `unknown revision "v9": no branch, tag or commit by that name`,
		"HEAD~3":       `unknown revision "HEAD~3": it goes back past the first commit`,
		"0123456789ab": `unknown revision "0123456789ab": no branch`,
		"main..dev":    `unknown revision "main..dev"`,
	} {
		_, _, err := r.FS(ref)
		if !errors.Is(err, gitrepo.ErrUnknownRef) {
			t.Errorf("FS(%s) = %v, want ErrUnknownRef", ref, err)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("FS(%s) = %q, want it to contain %q", ref, err, want)
		}
	}
}

func TestShallowCloneSaysHowToFetch(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{"mops.yaml": "p\n"})
	g.Commit("only")
	g.MakeShallow()
	_, _, err := open(t, g.Dir).FS("origin/main")
	if !errors.Is(err, gitrepo.ErrUnknownRef) {
		t.Fatalf("err = %v, want ErrUnknownRef", err)
	}
	want := `unknown revision "origin/main": this is a shallow clone without origin/main; fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)`
	if err.Error() != want {
		t.Errorf("err =\n%s\nwant\n%s", err, want)
	}
}

func TestNotARepository(t *testing.T) {
	_, err := gitrepo.Open(t.TempDir())
	if !errors.Is(err, gitrepo.ErrNotRepository) {
		t.Fatalf("err = %v, want ErrNotRepository", err)
	}
}

// TestLoadExampleFromGit loads the example repository from a commit with
// the loader's concurrent workers, and gets the same documents as from disk.
func TestLoadExampleFromGit(t *testing.T) {
	g := gitrepotest.New(t)
	g.CopyDir("../../examples/acme", "examples/acme")
	g.Commit("example")
	fsys, _, err := open(t, filepath.Join(g.Dir, "examples", "acme")).FS("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	fromGit, findings, err := load.Load(fsys, load.Options{Workers: 8})
	if err != nil || len(findings) != 0 {
		t.Fatalf("load from git: %v %v", err, findings)
	}
	fromDisk, _, err := load.Load(os.DirFS("../../examples/acme"), load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	keys := func(b *model.Bundle) []string {
		var out []string
		for _, d := range b.Docs {
			out = append(out, d.File+" "+d.Key().String())
		}
		return out
	}
	if diff := cmp.Diff(keys(fromDisk), keys(fromGit)); diff != "" {
		t.Errorf("documents differ (-disk +git):\n%s", diff)
	}
}
