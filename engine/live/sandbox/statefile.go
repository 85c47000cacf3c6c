package sandbox

import (
	"encoding/json"
	"fmt"

	"github.com/mops-dev/mops/engine/atomicfile"
)

// StateFile keeps an emulator's state of type S on disk, written
// atomically, and remembers the last state it wrote so that a mutation
// whose write failed can be rolled back: memory and disk then agree. The
// HubSpot and Salesforce sandboxes both keep their state this way. It is
// not safe for concurrent use; the sandbox's own lock covers it.
type StateFile[S any] struct {
	// Path is the state file; empty keeps the state in memory only.
	Path string
	// BeforeRename is a test seam run before the file's rename.
	BeforeRename func(tmp string) error
	saved        []byte
}

// Save serialises st, writes it when write is set and there is a file,
// and remembers it for Rollback.
func (f *StateFile[S]) Save(st *S, write bool) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	data = append(data, '\n')
	if write && f.Path != "" {
		if err := atomicfile.Write(f.Path, data, 0o644, f.BeforeRename); err != nil {
			return fmt.Errorf("save state %s: %w", f.Path, err)
		}
	}
	f.saved = data
	return nil
}

// Commit writes st after a mutation. When the write fails it returns the
// error and the last saved state, to put back in place of st.
func (f *StateFile[S]) Commit(st *S) (*S, error) {
	err := f.Save(st, true)
	if err == nil {
		return st, nil
	}
	var old S
	if json.Unmarshal(f.saved, &old) != nil {
		return st, err
	}
	return &old, err
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
