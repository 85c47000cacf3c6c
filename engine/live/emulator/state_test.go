package emulator

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

type counts map[string]int

func readCounts(path string) (*counts, error) {
	return ReadState(path, func(*counts) error { return nil })
}

// TestStateFileRefusesToOverwriteAnotherProcess opens one state file
// twice, as mops sandbox serve and an apply on the same repository do:
// once one has written, the other's write is refused, the file keeps the
// first write, and the refused one's memory is rolled back.
func TestStateFileRefusesToOverwriteAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".mops", "sandbox.json")
	seed := func() (*counts, error) { return &counts{"a": 1}, nil }
	serve, serveFile, err := OpenState(path, readCounts, seed)
	if err != nil {
		t.Fatal(err)
	}
	apply, applyFile, err := OpenState(path, readCounts, seed)
	if err != nil {
		t.Fatal(err)
	}

	(*serve)["a"] = 2
	if err := serveFile.Commit(serve); err != nil {
		t.Fatalf("first write: %v", err)
	}
	(*apply)["a"] = 3
	if err := applyFile.Commit(apply); !errors.Is(err, ErrStateChanged) {
		t.Fatalf("second write: %v, want ErrStateChanged", err)
	}
	if (*apply)["a"] != 1 {
		t.Errorf("the refused write left memory at %d, want the state it read (1)", (*apply)["a"])
	}
	var onDisk counts
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &onDisk); err != nil || onDisk["a"] != 2 {
		t.Errorf("file holds %s (%v), want the first write", data, err)
	}
	// The writer that was not overtaken goes on writing.
	(*serve)["a"] = 4
	if err := serveFile.Commit(serve); err != nil {
		t.Errorf("a later write of the same process: %v", err)
	}
}
