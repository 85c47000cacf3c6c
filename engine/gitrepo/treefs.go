package gitrepo

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/mops-dev/mops/engine/repofs"
)

// maxSymlinkHops bounds how many symbolic links one lookup follows.
const maxSymlinkHops = 40

// FS returns the governance folder as it was at revision ref, as a
// read-only file system, and the commit ref resolved to. Directories are
// read from git trees when listed and files from blobs when opened, so
// nothing is checked out. It agrees with the working tree's view
// (repofs): symbolic links that stay inside the governance folder are
// followed, one that leaves it is a *repofs.OutsideError and its target is
// never read, and no read returns more than repofs.MaxFileSize bytes (one
// byte more, for a longer blob, so that the reader can tell). When the
// folder did not exist at that commit, the file system is empty.
func (r *Repo) FS(ref string) (fs.FS, *Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit(ref)
	if err != nil {
		return nil, nil, err
	}
	t, err := r.tree(c)
	if err != nil {
		return nil, nil, err
	}
	return &treeFS{repo: r, root: t, when: c.Committer.When}, describe(c), nil
}

// treeFS is an fs.FS over one git tree. A nil root is an empty folder.
type treeFS struct {
	repo *Repo
	root *object.Tree
	when time.Time
}

var (
	_ fs.ReadDirFS  = (*treeFS)(nil)
	_ fs.ReadFileFS = (*treeFS)(nil)
	_ fs.StatFS     = (*treeFS)(nil)
)

// node is what a path names inside the tree.
type node struct {
	name string
	mode filemode.FileMode
	hash plumbing.Hash
	tree *object.Tree // for directories
}

func (n node) isDir() bool { return n.mode == filemode.Dir }

// Open opens the named file or directory.
func (f *treeFS) Open(name string) (fs.File, error) {
	f.repo.mu.Lock()
	defer f.repo.mu.Unlock()
	n, err := f.lookup("open", name)
	if err != nil {
		return nil, err
	}
	info, err := f.info(n)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if n.isDir() {
		entries, err := f.entries(n)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &dirFile{info: info, entries: entries}, nil
	}
	return &blobFile{fsys: f, path: name, info: info, hash: n.hash}, nil
}

// ReadFile reads the named file's blob.
func (f *treeFS) ReadFile(name string) ([]byte, error) {
	f.repo.mu.Lock()
	defer f.repo.mu.Unlock()
	n, err := f.lookup("read", name)
	if err != nil {
		return nil, err
	}
	if n.isDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	data, err := f.blob(n.hash)
	if err == nil && len(data) > repofs.MaxFileSize {
		err = fmt.Errorf("%w: larger than the %d-byte limit", repofs.ErrTooLarge, repofs.MaxFileSize)
	}
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}

// ReadDir lists the named directory, sorted by name.
func (f *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	f.repo.mu.Lock()
	defer f.repo.mu.Unlock()
	n, err := f.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !n.isDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	entries, err := f.entries(n)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return entries, nil
}

// Stat describes the named file, following symbolic links.
func (f *treeFS) Stat(name string) (fs.FileInfo, error) {
	f.repo.mu.Lock()
	defer f.repo.mu.Unlock()
	n, err := f.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := f.info(n)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return info, nil
}

// lookup walks name one element at a time from the root, following
// symbolic links. The caller holds the repository lock.
func (f *treeFS) lookup(op, name string) (node, error) {
	if !fs.ValidPath(name) {
		return node{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	notExist := &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	if f.root == nil {
		if name == "." {
			return node{name: ".", mode: filemode.Dir}, nil
		}
		return node{}, notExist
	}
	rootNode := node{name: ".", mode: filemode.Dir, hash: f.root.Hash, tree: f.root}
	var parts []string
	if name != "." {
		parts = strings.Split(name, "/")
	}
	cur, hops := rootNode, 0
	for i := 0; i < len(parts); i++ {
		if !cur.isDir() {
			return node{}, notExist
		}
		e := entry(cur.tree, parts[i])
		if e == nil || e.Mode == filemode.Submodule {
			return node{}, notExist
		}
		next := node{name: e.Name, mode: e.Mode, hash: e.Hash}
		switch e.Mode {
		case filemode.Dir:
			t, err := f.repo.repo.TreeObject(e.Hash)
			if err != nil {
				return node{}, &fs.PathError{Op: op, Path: name, Err: err}
			}
			next.tree = t
		case filemode.Symlink:
			hops++
			if hops > maxSymlinkHops {
				return node{}, &fs.PathError{Op: op, Path: name, Err: errors.New("too many levels of symbolic links")}
			}
			target, err := f.blob(e.Hash)
			if err != nil {
				return node{}, &fs.PathError{Op: op, Path: name, Err: err}
			}
			link := strings.Join(parts[:i+1], "/")
			resolved, inside := repofs.ResolveLink(path.Dir(link), string(target))
			if !inside {
				return node{}, &fs.PathError{Op: op, Path: name, Err: &repofs.OutsideError{Link: link, Target: string(target)}}
			}
			rest := parts[i+1:]
			parts = nil
			if resolved != "." {
				parts = strings.Split(resolved, "/")
			}
			parts = append(parts, rest...)
			cur, i = rootNode, -1
			continue
		}
		cur = next
	}
	if name != "." {
		cur.name = path.Base(name)
	}
	return cur, nil
}

// entry finds the tree entry called name.
func entry(t *object.Tree, name string) *object.TreeEntry {
	for i := range t.Entries {
		if t.Entries[i].Name == name {
			return &t.Entries[i]
		}
	}
	return nil
}

// entries lists a directory node, sorted by name as fs.ReadDir requires
// (git orders subtrees as if their names ended in a slash). Submodules are
// left out: their content is not in this repository.
func (f *treeFS) entries(n node) ([]fs.DirEntry, error) {
	if n.tree == nil {
		return []fs.DirEntry{}, nil
	}
	out := make([]fs.DirEntry, 0, len(n.tree.Entries))
	for _, e := range n.tree.Entries {
		if e.Mode == filemode.Submodule {
			continue
		}
		out = append(out, &dirEntry{fsys: f, node: node{name: e.Name, mode: e.Mode, hash: e.Hash}})
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// info describes n; a file's size comes from the object header, without
// reading its content. The caller holds the repository lock.
func (f *treeFS) info(n node) (fs.FileInfo, error) {
	fi := &fileInfo{name: n.name, mode: fsMode(n.mode), modTime: f.when}
	if !n.isDir() {
		size, err := f.repo.repo.Storer.EncodedObjectSize(n.hash)
		if err != nil {
			return nil, fmt.Errorf("read object %s: %w", n.hash, err)
		}
		fi.size = size
	}
	return fi, nil
}

// blob reads a blob's content. The caller holds the repository lock.
func (f *treeFS) blob(h plumbing.Hash) ([]byte, error) {
	b, err := f.repo.repo.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	rc, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, repofs.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	return data, nil
}
