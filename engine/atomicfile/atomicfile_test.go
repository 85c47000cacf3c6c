package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesOrKeepsOld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.json")
	if err := Write(path, []byte("old"), 0o644, nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("crash before rename")
	if err := Write(path, []byte("new"), 0o644, func(string) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the hook's", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Fatalf("after a failed write the file holds %q, want the old content", data)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("a failed write left %d files (a temp file behind?)", len(entries))
	}
	if err := Write(path, []byte("new"), 0o600, nil); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if data, _ := os.ReadFile(path); string(data) != "new" || info.Mode().Perm() != 0o600 {
		t.Fatalf("file holds %q with mode %v", data, info.Mode().Perm())
	}
}
