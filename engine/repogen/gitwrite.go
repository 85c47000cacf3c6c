package repogen

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Commit is one commit of a generated history: the files it writes (a nil
// content deletes the file), dated When.
type Commit struct {
	When    time.Time
	Author  string
	Message string
	Files   map[string][]byte
}

// gitWriter writes commits straight into a repository's object store with
// go-git, building each tree from the previous one in memory: a commit
// costs its changed blobs and the trees above them, not a checkout, so
// 2,000 commits over 10,000 files take seconds instead of the minutes
// 2,000 `git commit` runs would.
type gitWriter struct {
	repo   *git.Repository
	store  storer.EncodedObjectStorer
	root   *dirNode
	parent plumbing.Hash
}

// dirNode is one folder of the tree being built.
type dirNode struct {
	files map[string]plumbing.Hash
	dirs  map[string]*dirNode
	hash  plumbing.Hash // valid when !dirty
	dirty bool
}

func newDir() *dirNode {
	return &dirNode{files: map[string]plumbing.Hash{}, dirs: map[string]*dirNode{}, dirty: true}
}

// WriteHistory creates a git repository in dir (its branch main), writes
// the commits in order, then checks out the last one.
func WriteHistory(dir string, commits []Commit) error {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		return fmt.Errorf("git init %s: %w", dir, err)
	}
	w := &gitWriter{repo: repo, store: repo.Storer, root: newDir()}
	for i, c := range commits {
		if err := w.commit(c); err != nil {
			return fmt.Errorf("commit %d (%s): %w", i+1, c.Message, err)
		}
	}
	ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName("main"), w.parent)
	if err := repo.Storer.SetReference(ref); err != nil {
		return fmt.Errorf("set main: %w", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return fmt.Errorf("check out: %w", err)
	}
	if err := wt.Reset(&git.ResetOptions{Commit: w.parent, Mode: git.HardReset}); err != nil {
		return fmt.Errorf("check out: %w", err)
	}
	return nil
}

func (w *gitWriter) commit(c Commit) error {
	names := make([]string, 0, len(c.Files))
	for p := range c.Files {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		if err := w.set(p, c.Files[p]); err != nil {
			return err
		}
	}
	tree, err := w.writeTree(w.root)
	if err != nil {
		return err
	}
	name, email, _ := strings.Cut(c.Author, " <")
	sig := object.Signature{Name: name, Email: strings.TrimSuffix(email, ">"), When: c.When}
	obj := &object.Commit{Author: sig, Committer: sig, Message: c.Message + "\n", TreeHash: tree}
	if !w.parent.IsZero() {
		obj.ParentHashes = []plumbing.Hash{w.parent}
	}
	h, err := w.encode(obj)
	if err != nil {
		return err
	}
	w.parent = h
	return nil
}

// set writes one file's blob into the tree (nil content removes it).
func (w *gitWriter) set(p string, data []byte) error {
	dirs := strings.Split(path.Dir(p), "/")
	if path.Dir(p) == "." {
		dirs = nil
	}
	n := w.root
	n.dirty = true
	for _, d := range dirs {
		sub, ok := n.dirs[d]
		if !ok {
			sub = newDir()
			n.dirs[d] = sub
		}
		n = sub
		n.dirty = true
	}
	base := path.Base(p)
	if data == nil {
		delete(n.files, base)
		return nil
	}
	obj := w.store.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	wr, err := obj.Writer()
	if err != nil {
		return err
	}
	if _, err := wr.Write(data); err != nil {
		return err
	}
	if err := wr.Close(); err != nil {
		return err
	}
	h, err := w.store.SetEncodedObject(obj)
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	n.files[base] = h
	return nil
}

// writeTree writes the dirty folders under n and returns n's tree hash;
// the zero hash for a folder left empty (git keeps no empty folders).
func (w *gitWriter) writeTree(n *dirNode) (plumbing.Hash, error) {
	if !n.dirty {
		return n.hash, nil
	}
	var entries []object.TreeEntry
	for name, h := range n.files {
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
	}
	for name, sub := range n.dirs {
		h, err := w.writeTree(sub)
		if err != nil {
			return h, err
		}
		if !h.IsZero() {
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
		}
	}
	// git orders entries by name, a folder's name as if it ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int { return strings.Compare(key(a), key(b)) })
	n.dirty = false
	n.hash = plumbing.ZeroHash
	if len(entries) == 0 && n != w.root {
		return n.hash, nil
	}
	h, err := w.encode(&object.Tree{Entries: entries})
	if err != nil {
		return h, err
	}
	n.hash = h
	return h, nil
}

func (w *gitWriter) encode(o interface {
	Encode(plumbing.EncodedObject) error
}) (plumbing.Hash, error) {
	obj := w.store.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return w.store.SetEncodedObject(obj)
}

// baseFiles reads every file of base that Write copies (all but
// campaigns/, policies/, .mops/ and .git/), keyed by slash path; policies/
// gets a README so the folder mops.yaml names exists in git.
func baseFiles(base string) (map[string][]byte, error) {
	out, err := readTree(base, skipped)
	if err != nil {
		return nil, err
	}
	out["policies/README.md"] = []byte("Repository policies (Rego) go here; the generated repository relies on the built-in rules.\n")
	return out, nil
}

// readTree reads every regular file under dir, keyed by slash path,
// leaving out the top-level folders skip names.
func readTree(dir string, skip func(top string) bool) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && !strings.Contains(rel, "/") && skip(rel) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[rel] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	return out, nil
}

// WriteGeneratedHistory writes to dir a git repository holding History
// over the base repository in the folder base.
func WriteGeneratedHistory(dir, base string, opts HistoryOptions) (int, error) {
	files, err := baseFiles(base)
	if err != nil {
		return 0, err
	}
	commits, err := History(files, opts)
	if err != nil {
		return 0, err
	}
	return len(commits), WriteHistory(dir, commits)
}

// WriteExampleHistory writes to dir a git repository holding
// ExampleHistory of the example in the folder example.
func WriteExampleHistory(dir, example string, end time.Time) (int, error) {
	commits, err := ExampleHistory(example, end)
	if err != nil {
		return 0, err
	}
	return len(commits), WriteHistory(dir, commits)
}
