// Package gitrepotest builds throwaway git repositories for tests with
// go-git: write files, commit them with a fixed author and clock (so commit
// hashes are the same on every run), tag, branch and fake a shallow clone.
package gitrepotest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// FirstCommit is the date of the first commit; each later commit is one
// hour after the one before.
func FirstCommit() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) }

// Repo is a git repository in a temporary folder.
type Repo struct {
	// Dir is the working tree's top folder.
	Dir string

	t     testing.TB
	repo  *git.Repository
	clock time.Time
}

// New creates an empty repository whose default branch is main.
func New(t testing.TB) *Repo {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatalf("git init: %v", err)
	}
	return &Repo{Dir: dir, t: t, repo: r, clock: FirstCommit()}
}

// Write writes files (slash paths relative to Dir) with their content.
func (r *Repo) Write(files map[string]string) {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.Dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

// Remove deletes files or folders (slash paths relative to Dir).
func (r *Repo) Remove(names ...string) {
	r.t.Helper()
	for _, name := range names {
		if err := os.RemoveAll(filepath.Join(r.Dir, filepath.FromSlash(name))); err != nil {
			r.t.Fatal(err)
		}
	}
}

// CopyDir copies the files of the folder src on disk into the folder dst
// (relative to Dir); files already in dst stay unless overwritten.
func (r *Repo) CopyDir(src, dst string) {
	r.t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r.Write(map[string]string{filepath.ToSlash(filepath.Join(filepath.FromSlash(dst), rel)): string(data)})
		return nil
	})
	if err != nil {
		r.t.Fatalf("copy %s: %v", src, err)
	}
}

// Commit stages every change in the working tree (git add -A) and commits
// it as Test Author, one hour after the previous commit. It returns the
// commit hash.
func (r *Repo) Commit(msg string) string {
	r.t.Helper()
	return r.CommitAt(msg, r.clock)
}

// CommitAt is Commit dated when (author and committer); the next Commit
// is one hour later.
func (r *Repo) CommitAt(msg string, when time.Time) string {
	r.t.Helper()
	r.clock = when
	wt, err := r.repo.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		r.t.Fatalf("git add: %v", err)
	}
	sig := &object.Signature{Name: "Test Author", Email: "author@example.com", When: r.clock}
	r.clock = r.clock.Add(time.Hour)
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		r.t.Fatalf("git commit: %v", err)
	}
	return h.String()
}

// Tag creates a lightweight tag at HEAD.
func (r *Repo) Tag(name string) {
	r.t.Helper()
	head, err := r.repo.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.repo.CreateTag(name, head.Hash(), nil); err != nil {
		r.t.Fatalf("git tag %s: %v", name, err)
	}
}

// Branch creates a branch at HEAD without switching to it.
func (r *Repo) Branch(name string) {
	r.t.Helper()
	head, err := r.repo.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName(name), head.Hash())
	if err := r.repo.Storer.SetReference(ref); err != nil {
		r.t.Fatalf("git branch %s: %v", name, err)
	}
}

// RemoteBranch creates refs/remotes/REMOTE/NAME at HEAD, as a fetch would.
func (r *Repo) RemoteBranch(remote, name string) {
	r.t.Helper()
	head, err := r.repo.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.repo.CreateRemote(&config.RemoteConfig{Name: remote, URLs: []string{"https://example.com/acme.git"}}); err != nil && err != git.ErrRemoteExists {
		r.t.Fatal(err)
	}
	ref := plumbing.NewHashReference(plumbing.NewRemoteReferenceName(remote, name), head.Hash())
	if err := r.repo.Storer.SetReference(ref); err != nil {
		r.t.Fatal(err)
	}
}

// MakeShallow marks HEAD as the boundary of a shallow clone, as
// `git clone --depth 1` would, by writing .git/shallow.
func (r *Repo) MakeShallow() {
	r.t.Helper()
	head, err := r.repo.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.repo.Storer.SetShallow([]plumbing.Hash{head.Hash()}); err != nil {
		r.t.Fatal(err)
	}
}
