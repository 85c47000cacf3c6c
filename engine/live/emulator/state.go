package emulator

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/mops-dev/mops/engine/atomicfile"
	"github.com/mops-dev/mops/engine/repofs"
)

// StateFile keeps an emulator's state of type S on disk, written
// atomically, and remembers the last state it wrote so that a mutation
// whose write failed can be rolled back: memory and disk then agree. It is
// not safe for concurrent use; the emulator's own lock covers it.
//
// Two processes may hold the same state (mops sandbox serve, and an apply
// on the same repository). Neither overwrites the other's changes: a write
// first locks the file's folder and checks that the file is still what
// this one last read or wrote; if another process changed it, the write
// is refused with ErrStateChanged.
type StateFile[S any] struct {
	// Path is the state file; empty keeps the state in memory only.
	Path string
	// BeforeRename is a test seam run before the file's rename.
	BeforeRename func(tmp string) error
	saved        []byte
	// disk is the hash of the file as this one last read or wrote it.
	disk [sha256.Size]byte
}

// ErrStateChanged refuses a write to a state file that another process
// changed since this one read it.
var ErrStateChanged = errors.New("changed by another process since this sandbox read it")

// OpenState returns the state kept in the file at path and the StateFile
// that goes on keeping it. When that file does not exist yet, seed makes
// the state, which is written at once; later opens ignore the seed. An
// empty path keeps the state seed makes in memory only. read loads and
// checks a state file; its error for a missing file must wrap
// fs.ErrNotExist.
func OpenState[S any](path string, read func(path string) (*S, error), seed func() (*S, error)) (*S, *StateFile[S], error) {
	f := &StateFile[S]{Path: path}
	if path != "" {
		data, _ := repofs.ReadPath(path, repofs.MaxFileSize)
		st, err := read(path)
		switch {
		case err == nil:
			f.disk = sha256.Sum256(data)
			return st, f, f.Save(st, false)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, nil, fmt.Errorf("open state: %w", err)
		}
	}
	st, err := seed()
	if err != nil {
		return nil, nil, fmt.Errorf("read seed: %w", err)
	}
	if err := f.Save(st, true); err != nil {
		return nil, nil, err
	}
	return st, f, nil
}

// ReadState loads the state or seed file at path and checks it with
// normalise, which fills defaults and refuses what the vendor could never
// hold. The error for a missing file wraps fs.ErrNotExist. The path is
// the repository's (mops.yaml names it): only a regular file is read, up
// to repofs.MaxFileSize, without blocking on a FIFO.
func ReadState[S any](path string, normalise func(*S) error) (*S, error) {
	data, err := repofs.ReadPath(path, repofs.MaxFileSize)
	if err != nil {
		return nil, err
	}
	st := new(S)
	if err := json.Unmarshal(data, st); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	if err := normalise(st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return st, nil
}

// CheckVersion fills in the format version a seed leaves out (0 means
// want) and refuses a state of another version.
func CheckVersion(version *int, want int) error {
	if *version == 0 {
		*version = want
	}
	if *version != want {
		return fmt.Errorf("state version %d: this mops reads version %d", *version, want)
	}
	return nil
}

// NormaliseObjects is the part of normalising a state both emulators
// share: it makes a missing object map and a null object empty, refuses
// an object name that valid refuses, and normalises each object. The
// objects are taken in name order, so the first error is the same every
// time.
func NormaliseObjects[O any](objects *map[string]*O, valid func(name string) error, normalise func(name string, o *O) error) error {
	if *objects == nil {
		*objects = map[string]*O{}
	}
	for _, name := range slices.Sorted(maps.Keys(*objects)) {
		if err := valid(name); err != nil {
			return err
		}
		o := (*objects)[name]
		if o == nil {
			o = new(O)
			(*objects)[name] = o
		}
		if err := normalise(name, o); err != nil {
			return err
		}
	}
	return nil
}

// Save serialises st, writes it when write is set and there is a file,
// and remembers it for Commit's rollback.
func (f *StateFile[S]) Save(st *S, write bool) error {
	if f.Path == "" {
		// In memory only: nothing to write, and no failed write to roll
		// back from (a 100,000-record state would cost 10 MB of JSON per
		// change).
		return nil
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	data = append(data, '\n')
	if write {
		if err := f.write(data); err != nil {
			return fmt.Errorf("save state %s: %w", f.Path, err)
		}
	}
	f.saved = data
	return nil
}

// write replaces the file with data, under the lock of its folder, unless
// another process changed the file since this one last read or wrote it.
func (f *StateFile[S]) write(data []byte) error {
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer unlock()
	if f.disk != ([sha256.Size]byte{}) {
		now, err := repofs.ReadPath(f.Path, repofs.MaxFileSize)
		if err != nil || sha256.Sum256(now) != f.disk {
			return fmt.Errorf("%w (a mops sandbox serve, plan or apply on the same repository?); nothing was written: stop the other one, then run again", ErrStateChanged)
		}
	}
	if err := atomicfile.Write(f.Path, data, 0o644, f.BeforeRename); err != nil {
		return err
	}
	f.disk = sha256.Sum256(data)
	return nil
}

// Commit writes st after a mutation. When the write fails it puts the
// last saved state back into *st, so that memory agrees with the file,
// and returns the error.
func (f *StateFile[S]) Commit(st *S) error {
	err := f.Save(st, true)
	if err == nil {
		return nil
	}
	var old S
	if json.Unmarshal(f.saved, &old) == nil {
		*st = old
	}
	return err
}

// Copy returns a deep copy of st.
func Copy[S any](st *S) *S {
	data, err := json.Marshal(st)
	var out S
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	if err != nil { // cannot happen: states are plain JSON data
		panic("sandbox: copy state: " + err.Error())
	}
	return &out
}
