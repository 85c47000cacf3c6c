package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// LastChange returns the committer date of the most recent commit on
// HEAD's first-parent history that changed the file at p (relative to the
// governance folder). It walks back until the file's blob differs from the
// parent's, so its cost grows with how long the file has stayed the same.
// In a shallow clone the walk stops at the oldest fetched commit, whose
// date is returned. A file that HEAD does not have is an error wrapping
// fs.ErrNotExist (say, a file only in the working tree).
func (r *Repo) LastChange(p string) (time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit("HEAD")
	if err != nil {
		return time.Time{}, err
	}
	full := path.Join(r.sub, p)
	h, err := blobAt(c, full)
	if err != nil {
		return time.Time{}, err
	}
	if h.IsZero() {
		return time.Time{}, fmt.Errorf("last change of %s: %w", p, fs.ErrNotExist)
	}
	for {
		if c.NumParents() == 0 {
			return c.Committer.When, nil
		}
		parent, err := c.Parent(0)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return c.Committer.When, nil // shallow: the history stops here
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("last change of %s: %w", p, err)
		}
		ph, err := blobAt(parent, full)
		if err != nil {
			return time.Time{}, err
		}
		if ph != h {
			return c.Committer.When, nil
		}
		c = parent
	}
}

// blobAt returns the blob hash of the file at p in commit c, or the zero
// hash when c has no such file.
func blobAt(c *object.Commit, p string) (plumbing.Hash, error) {
	t, err := c.Tree()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read tree of %s: %w", c.Hash, err)
	}
	e, err := t.FindEntry(p)
	if errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("find %s in %s: %w", p, c.Hash, err)
	}
	if !e.Mode.IsFile() {
		return plumbing.ZeroHash, nil
	}
	return e.Hash, nil
}

// Line is one line of a file at HEAD with the date it was last changed.
type Line struct {
	Text string
	Date time.Time
}

// Blame returns every line of the file p at HEAD (index 0 is line 1) with
// the author date of the commit that last changed it. Waivers are dated
// this way: a waiver's `until` line dates when it was granted or last
// extended. A file that HEAD does not have is an error wrapping
// fs.ErrNotExist.
func (r *Repo) Blame(p string) ([]Line, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit("HEAD")
	if err != nil {
		return nil, err
	}
	full := path.Join(r.sub, p)
	h, err := blobAt(c, full)
	if err != nil {
		return nil, err
	}
	if h.IsZero() {
		return nil, fmt.Errorf("blame %s: %w", p, fs.ErrNotExist)
	}
	res, err := git.Blame(c, full)
	if err != nil {
		return nil, fmt.Errorf("blame %s: %w", p, err)
	}
	out := make([]Line, len(res.Lines))
	for i, l := range res.Lines {
		out[i] = Line{Text: l.Text, Date: l.Date}
	}
	return out, nil
}
