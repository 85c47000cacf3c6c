// Package repofs is the one way mops reads a governance repository's
// working tree. The repository is untrusted (a pull request's author writes
// it), so the view is confined: every open goes through an os.Root, a
// symbolic link that leaves the repository is an *OutsideError naming the
// link and its target is never opened, only regular files (and folders)
// open, so a FIFO or device cannot hang or feed a run, and every read is
// bounded by MaxFileSize, which no configuration can lift.
package repofs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/source"
)

// MaxFileSize is the hard ceiling on any one file mops reads from a
// repository: documents, policies and mops.yaml alike. spec.maxFileSize
// may lower it, never raise it.
const MaxFileSize = 64 << 20

// ErrNotRegular is the error of opening or reading something that is
// neither a regular file nor a folder (a FIFO, socket or device).
var ErrNotRegular = errors.New("not a regular file (a FIFO, socket or device is never read)")

// OutsideError reports a symbolic link whose target lies outside the
// repository (an absolute target, or one that climbs above the root).
type OutsideError struct {
	// Link is the link's slash path in the repository.
	Link string
	// Target is what the link says, as written; it is never opened.
	Target string
}

func (e *OutsideError) Error() string {
	return "symlink " + e.Link + " points outside the repository"
}

// FS is a read-only, root-confined view of a folder. It implements
// fs.StatFS, fs.ReadDirFS and fs.ReadFileFS; its methods are safe for
// concurrent use.
type FS struct {
	root *os.Root
	// err, when set, is why the folder could not be opened; every
	// method returns it (see DirFS).
	err error
}

var (
	_ fs.StatFS     = (*FS)(nil)
	_ fs.ReadDirFS  = (*FS)(nil)
	_ fs.ReadFileFS = (*FS)(nil)
)

// Open opens the folder dir as a confined file system. Close it when done.
func Open(dir string) (*FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	return &FS{root: root}, nil
}

// DirFS is the confined replacement for os.DirFS, for callers that hold a
// file system only for one run: a folder that cannot be opened makes every
// operation fail with the reason, and the folder is released when the FS
// is garbage collected (or by Close).
func DirFS(dir string) *FS {
	f, err := Open(dir)
	if err != nil {
		return &FS{err: err}
	}
	return f
}

// Close releases the folder.
func (f *FS) Close() error {
	if f.err != nil {
		return nil
	}
	return f.root.Close()
}

// Stat describes name, following symbolic links that stay inside.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if f.err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: f.err}
	}
	info, err := f.root.Stat(name)
	if err != nil {
		return nil, f.explain("stat", name, err)
	}
	return info, nil
}

// Open opens a regular file or a folder. Anything else is refused with
// ErrNotRegular before it is opened, and opened without blocking in case
// it was swapped for a FIFO meanwhile; the opened file is checked again.
func (f *FS) Open(name string) (fs.File, error) {
	info, err := f.Stat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() && !info.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	file, err := f.root.OpenFile(name, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, f.explain("open", name, err)
	}
	now, err := file.Stat()
	if err == nil && !os.SameFile(info, now) {
		err = errors.New("changed while it was opened")
	}
	if err != nil {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return file, nil
}

// ReadDir lists the folder name, sorted by file name.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	dir, ok := file.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a folder")}
	}
	entries, err := dir.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

// ReadFile reads the regular file name, up to MaxFileSize.
func (f *FS) ReadFile(name string) ([]byte, error) {
	return ReadFile(f, name, MaxFileSize)
}

// explain turns the error of an operation on name into an *OutsideError
// when a symbolic link on the way leaves the repository, so that callers
// can say which link; any other error is returned as it is. It runs only
// when an operation failed.
func (f *FS) explain(op, name string, err error) error {
	var parts []string
	if name != "." {
		parts = strings.Split(name, "/")
	}
	for i, hops := 0, 0; i < len(parts); i++ {
		cur := strings.Join(parts[:i+1], "/")
		info, lerr := f.root.Lstat(cur)
		if lerr != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if hops++; hops > 40 {
			return err
		}
		target, lerr := f.root.Readlink(cur)
		if lerr != nil {
			return err
		}
		resolved, inside := ResolveLink(path.Dir(cur), target)
		if !inside {
			return &fs.PathError{Op: op, Path: name, Err: &OutsideError{Link: cur, Target: target}}
		}
		rest := parts[i+1:]
		parts = nil
		if resolved != "." {
			parts = strings.Split(resolved, "/")
		}
		parts = append(parts, rest...)
		i = -1
	}
	return err
}

// ResolveLink resolves a symbolic link's target against the folder holding
// the link (both slash paths relative to the root) and reports whether the
// result stays inside the root. An absolute target never does: the
// repository cannot know where it is checked out. The git-revision view
// (gitrepo) decides with it too, so both views agree on every link.
func ResolveLink(dir, target string) (string, bool) {
	if target == "" || path.IsAbs(target) || strings.HasPrefix(target, `\`) {
		return "", false
	}
	resolved := path.Join(dir, target)
	return resolved, fs.ValidPath(resolved)
}

// ReadFile reads name from any file system (a repository's working tree,
// a git revision, a test's map) the way mops reads repository files: only
// a regular file, and never more than limit bytes, itself never more than
// MaxFileSize. A longer file is an error wrapping ErrTooLarge.
func ReadFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	file, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return readAll(file, name, limit)
}

// readAll reads an open file up to the limit; a longer file is an error.
func readAll(file fs.File, name string, limit int64) ([]byte, error) {
	data, err := ReadCapped(file, limit)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}

// ErrTooLarge is the error of reading a file over the limit.
var ErrTooLarge = errors.New("file too large")

// Limit returns the read limit to apply for a wanted one: MaxFileSize
// when limit is zero, negative or above it.
func Limit(limit int64) int64 {
	if limit <= 0 || limit > MaxFileSize {
		return MaxFileSize
	}
	return limit
}

// ReadCapped reads an open file of at most Limit(limit) bytes; a longer
// one is an error wrapping ErrTooLarge, so memory stays bounded whatever
// the file. A regular file whose Stat tells its size is judged without
// reading it; otherwise (some file systems do not fill in Stat) at most
// limit+1 bytes are read. Only a regular file is read; a file system
// without Stat counts as regular. Stat also sizes the buffer and ends the
// read once the size it reported has arrived, so a small file costs one
// read call instead of three.
func ReadCapped(f fs.File, limit int64) ([]byte, error) {
	limit = Limit(limit)
	tooLarge := fmt.Errorf("%w: larger than the %d-byte limit", ErrTooLarge, limit)
	capacity, want := int64(512), int64(-1)
	if st, err := f.Stat(); err == nil {
		switch {
		case !st.Mode().IsRegular():
			return nil, ErrNotRegular
		case st.Size() > limit:
			return nil, tooLarge
		}
		capacity, want = st.Size()+1, st.Size()
	}
	buf := make([]byte, 0, capacity)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(cap(buf), int(limit+1)-len(buf)))
		}
		n, err := f.Read(buf[len(buf):min(cap(buf), int(limit+1))])
		buf = buf[:len(buf)+n]
		switch {
		case int64(len(buf)) > limit:
			return nil, tooLarge
		case errors.Is(err, io.EOF):
			return buf, nil
		case err != nil:
			return nil, err
		case int64(len(buf)) == want:
			return buf, nil
		}
	}
}

// ErrOutsidePath is the error of a path from mops.yaml that does not stay
// inside the repository.
var ErrOutsidePath = errors.New("must be a relative path inside the repository (no leading /, no ..)")

// Inside returns the operating-system path of p, a slash path from
// mops.yaml relative to the repository folder dir, after checking that it
// stays inside: p is relative and never climbs above the root, and no
// symbolic link already on its way leaves the repository (an
// *OutsideError). Call it before writing to p, and before reading p
// outside an FS. The check reads the folder as it is now; it guards
// against what a repository says, not against a process changing the
// folder at the same time.
func Inside(dir, p string) (string, error) {
	clean := path.Clean(p)
	if p == "" || path.IsAbs(p) || strings.Contains(p, `\`) || !fs.ValidPath(clean) || clean == "." {
		return "", fmt.Errorf("%q: %w", p, ErrOutsidePath)
	}
	f, err := Open(dir)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var outside *OutsideError
	if err := f.explain("open", clean, nil); errors.As(err, &outside) {
		return "", fmt.Errorf("%q: %w", p, err)
	}
	return filepath.Join(dir, filepath.FromSlash(clean)), nil
}

// Problem explains a read error that the repository's content caused — a
// link leaving it, a special file, a file over the ceiling — in words for
// its author; ok is false for any other error (a failure to run). A
// link's target is named, quoted and cut, never read.
func Problem(err error) (msg string, ok bool) {
	var outside *OutsideError
	switch {
	case errors.As(err, &outside):
		return fmt.Sprintf("symlink points outside the repository (%s -> %s); mops never reads a file outside it: commit the file itself, or link to one inside the repository",
			outside.Link, source.Quote(outside.Target)), true
	case errors.Is(err, ErrNotRegular):
		return "not a regular file: a FIFO, socket or device is never read; remove it, or leave it out with spec.exclude", true
	case errors.Is(err, ErrTooLarge):
		return fmt.Sprintf("file is larger than %d bytes, a limit no setting can lift; split it into several files", int64(MaxFileSize)), true
	}
	return "", false
}

// OpenFile opens the file at an operating-system path (one Inside
// returned, say) for reading as FS.Open does: only a regular file, which
// is checked before it is opened, and opened without blocking; anything
// else is ErrNotRegular.
func OpenFile(name string) (*os.File, error) {
	if info, err := os.Stat(name); err == nil && !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	f, err := os.OpenFile(name, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = ErrNotRegular
	}
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

// ReadPath reads the regular file at an operating-system path, up to
// Limit(limit) bytes; a longer file is an error wrapping ErrTooLarge.
func ReadPath(name string, limit int64) ([]byte, error) {
	f, err := OpenFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, name, limit)
}
