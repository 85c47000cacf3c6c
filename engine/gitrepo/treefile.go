package gitrepo

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"slices"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// The files, directories and descriptions the tree file system hands out.

func fsMode(m filemode.FileMode) fs.FileMode {
	switch m {
	case filemode.Dir:
		return fs.ModeDir | 0o555
	case filemode.Symlink:
		return fs.ModeSymlink | 0o777
	case filemode.Executable:
		return 0o555
	default:
		return 0o444
	}
}

// fileInfo is the fs.FileInfo of a tree entry.
type fileInfo struct {
	name    string
	size    int64
	mode    fs.FileMode
	modTime time.Time
}

func (i *fileInfo) Name() string       { return i.name }
func (i *fileInfo) Size() int64        { return i.size }
func (i *fileInfo) Mode() fs.FileMode  { return i.mode }
func (i *fileInfo) ModTime() time.Time { return i.modTime }
func (i *fileInfo) IsDir() bool        { return i.mode.IsDir() }
func (i *fileInfo) Sys() any           { return nil }

// dirEntry is a directory listing entry whose Info is read on demand.
type dirEntry struct {
	fsys *treeFS
	node node
}

func (d *dirEntry) Name() string      { return d.node.name }
func (d *dirEntry) IsDir() bool       { return d.node.isDir() }
func (d *dirEntry) Type() fs.FileMode { return fsMode(d.node.mode).Type() }

func (d *dirEntry) Info() (fs.FileInfo, error) {
	d.fsys.repo.mu.Lock()
	defer d.fsys.repo.mu.Unlock()
	return d.fsys.info(d.node)
}

// dirFile is an open directory.
type dirFile struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	offset  int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }

func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: errors.New("is a directory")}
}

// ReadDir implements fs.ReadDirFile.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n <= 0 {
		d.offset = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.offset += n
	return slices.Clone(rest[:n]), nil
}

// blobFile is an open file; its blob is read on the first Read.
type blobFile struct {
	fsys   *treeFS
	path   string
	info   fs.FileInfo
	hash   plumbing.Hash
	r      *bytes.Reader
	closed bool
}

func (b *blobFile) Stat() (fs.FileInfo, error) { return b.info, nil }

func (b *blobFile) Read(p []byte) (int, error) {
	if b.closed {
		return 0, &fs.PathError{Op: "read", Path: b.path, Err: fs.ErrClosed}
	}
	if b.r == nil {
		b.fsys.repo.mu.Lock()
		data, err := b.fsys.blob(b.hash)
		b.fsys.repo.mu.Unlock()
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: b.path, Err: err}
		}
		b.r = bytes.NewReader(data)
	}
	return b.r.Read(p)
}

func (b *blobFile) Close() error {
	if b.closed {
		return &fs.PathError{Op: "close", Path: b.path, Err: fs.ErrClosed}
	}
	b.closed = true
	return nil
}
