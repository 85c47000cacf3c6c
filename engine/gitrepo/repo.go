// Package gitrepo reads a governance repository from git with go-git: the
// tree of any revision as a read-only fs.FS (no checkout, no git binary),
// the HEAD commit, the files changed between two revisions or against the
// working tree, and when a file last changed.
//
// The governance folder (the one holding mops.yaml) may be a subfolder of
// the git repository, such as examples/acme; every path this package takes
// or returns is relative to that folder.
package gitrepo

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Repo is the git repository around a governance folder. Its methods are
// safe for concurrent use: go-git's object storage is not, so every read
// goes through one lock.
type Repo struct {
	repo *git.Repository
	// root is the absolute path of the working tree's top folder.
	root string
	// dir is the absolute path of the governance folder.
	dir string
	// sub is dir relative to root, slash-separated; "." for the root.
	sub string

	mu sync.Mutex
}

// Commit describes a resolved revision.
type Commit struct {
	// Hash is the full hexadecimal commit id.
	Hash string
	// When is the committer date: when the commit entered the history.
	When time.Time
	// Author is "Name <email>".
	Author string
	// Subject is the first line of the commit message.
	Subject string
}

// Short returns the abbreviated commit id people read (7 characters).
func (c *Commit) Short() string {
	if len(c.Hash) > 7 {
		return c.Hash[:7]
	}
	return c.Hash
}

// Open finds the git repository that encloses dir (dir itself or any
// parent) and remembers where dir sits inside it.
func Open(dir string) (*Repo, error) {
	abs, err := canonical(dir)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	r, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%s is %w", dir, ErrNotRepository)
	}
	if err != nil {
		return nil, fmt.Errorf("open git repository at %s: %w", dir, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		return nil, fmt.Errorf("open git repository at %s: %w", dir, err)
	}
	root, err := canonical(wt.Filesystem.Root())
	if err != nil {
		return nil, fmt.Errorf("open git repository at %s: %w", dir, err)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s is outside the working tree %s", dir, root)
	}
	return &Repo{repo: r, root: root, dir: abs, sub: filepath.ToSlash(rel)}, nil
}

// canonical returns the absolute path of p with symbolic links resolved,
// so that paths compare equal on systems where the temp folder is a link.
func canonical(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// Root returns the absolute path of the working tree's top folder.
func (r *Repo) Root() string { return r.root }

// Subdir returns the governance folder relative to the repository root,
// slash-separated; "." when they are the same folder.
func (r *Repo) Subdir() string { return r.sub }

// Resolve turns a revision into its commit. It accepts what
// `git rev-parse` does for commits: branches, tags, remote branches
// (origin/main), HEAD~1, HEAD^2 and full or abbreviated hashes. An unknown
// revision is a *RefError wrapping ErrUnknownRef.
func (r *Repo) Resolve(ref string) (*Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit(ref)
	if err != nil {
		return nil, err
	}
	return describe(c), nil
}

// Head returns the commit HEAD points at.
func (r *Repo) Head() (*Commit, error) { return r.Resolve("HEAD") }

// commit resolves ref; the caller holds r.mu.
func (r *Repo) commit(ref string) (*object.Commit, error) {
	h, err := r.repo.ResolveRevision(plumbing.Revision(ref))
	if err == nil {
		var c *object.Commit
		if c, err = r.repo.CommitObject(*h); err == nil {
			return c, nil
		}
	}
	return nil, &RefError{Ref: ref, Shallow: r.shallow(), Err: err}
}

// shallow reports whether the repository is a shallow clone (it has a
// .git/shallow file listing commits whose parents were not fetched).
func (r *Repo) shallow() bool {
	hs, err := r.repo.Storer.Shallow()
	return err == nil && len(hs) > 0
}

// tree returns the tree of the governance folder at commit c; nil when the
// folder does not exist at that commit. The caller holds r.mu.
func (r *Repo) tree(c *object.Commit) (*object.Tree, error) {
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree of %s: %w", c.Hash, err)
	}
	if r.sub == "." {
		return t, nil
	}
	sub, err := t.Tree(r.sub)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", r.sub, c.Hash, err)
	}
	return sub, nil
}

func describe(c *object.Commit) *Commit {
	subject, _, _ := strings.Cut(c.Message, "\n")
	return &Commit{
		Hash:    c.Hash.String(),
		When:    c.Committer.When,
		Author:  fmt.Sprintf("%s <%s>", c.Author.Name, c.Author.Email),
		Subject: subject,
	}
}
