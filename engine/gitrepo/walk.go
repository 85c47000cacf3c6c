package gitrepo

import (
	"errors"
	"fmt"
	"path"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// FirstParent lists the commits of ref's first-parent history, oldest
// first: the history of a main branch as it moved, one commit per merged
// pull request or direct push. In a shallow clone it starts at the oldest
// fetched commit.
func (r *Repo) FirstParent(ref string) ([]*Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit(ref)
	if err != nil {
		return nil, err
	}
	var out []*Commit
	for {
		out = append(out, describe(c))
		if c.NumParents() == 0 {
			break
		}
		p, err := c.Parent(0)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			break // shallow: the history stops here
		}
		if err != nil {
			return nil, fmt.Errorf("walk history of %s: %w", ref, err)
		}
		c = p
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// BlobChange is one file of the governance folder that differs between a
// commit and its parent: its blob before and after, the zero hash where
// the file is absent.
type BlobChange struct {
	Path     string
	From, To plumbing.Hash
}

// CommitChanges lists the files of the governance folder that commit hash
// changed against its first parent (every file for a root commit), in
// tree order. Subtrees whose hash did not change are not opened, so the
// cost follows the size of the change, not of the repository.
func (r *Repo) CommitChanges(hash string) ([]BlobChange, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.repo.CommitObject(plumbing.NewHash(hash))
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", hash, err)
	}
	after, err := r.tree(c)
	if err != nil {
		return nil, err
	}
	var before *object.Tree
	if c.NumParents() > 0 {
		p, err := c.Parent(0)
		switch {
		case errors.Is(err, plumbing.ErrObjectNotFound):
			// shallow: the oldest fetched commit adds every file
		case err != nil:
			return nil, fmt.Errorf("read parent of %s: %w", hash, err)
		default:
			if before, err = r.tree(p); err != nil {
				return nil, err
			}
		}
	}
	var out []BlobChange
	if err := r.diffTrees("", before, after, &out); err != nil {
		return nil, fmt.Errorf("changes of %s: %w", hash, err)
	}
	return out, nil
}

// diffTrees appends to out the files that differ between trees a and b
// (either may be nil: empty) under the folder dir. The caller holds r.mu.
func (r *Repo) diffTrees(dir string, a, b *object.Tree, out *[]BlobChange) error {
	entries := map[string][2]*object.TreeEntry{}
	var names []string
	for side, t := range []*object.Tree{a, b} {
		if t == nil {
			continue
		}
		for i := range t.Entries {
			e := &t.Entries[i]
			pair, seen := entries[e.Name]
			if !seen {
				names = append(names, e.Name)
			}
			pair[side] = e
			entries[e.Name] = pair
		}
	}
	for _, name := range names {
		pair := entries[name]
		ea, eb := pair[0], pair[1]
		if ea != nil && eb != nil && ea.Hash == eb.Hash && ea.Mode == eb.Mode {
			continue
		}
		p := path.Join(dir, name)
		sub := func(e *object.TreeEntry) (*object.Tree, error) {
			if e == nil || e.Mode.IsFile() {
				return nil, nil
			}
			return r.repo.TreeObject(e.Hash)
		}
		ta, err := sub(ea)
		if err != nil {
			return err
		}
		tb, err := sub(eb)
		if err != nil {
			return err
		}
		if ta != nil || tb != nil {
			if err := r.diffTrees(p, ta, tb, out); err != nil {
				return err
			}
		}
		blob := func(e *object.TreeEntry) plumbing.Hash {
			if e == nil || !e.Mode.IsFile() {
				return plumbing.ZeroHash
			}
			return e.Hash
		}
		if from, to := blob(ea), blob(eb); from != to {
			*out = append(*out, BlobChange{Path: p, From: from, To: to})
		}
	}
	return nil
}
