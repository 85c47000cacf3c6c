//go:build unix

package repofs_test

import (
	"errors"
	"io/fs"
	"net"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/repofs"
)

func TestOnlyRegularFilesOpenAndNothingHangs(t *testing.T) {
	dir := tree(t, map[string]string{"ok.yaml": "a: 1\n", "pipe-link.yaml": "->pipe.yaml"})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "sock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	special := []string{"pipe.yaml", "pipe-link.yaml", "sock.yaml"}
	if err := syscall.Mknod(filepath.Join(dir, "dev.yaml"), syscall.S_IFCHR|0o644, 0x0103); err == nil { // /dev/null's numbers
		special = append(special, "dev.yaml")
	}
	f := open(t, dir)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, name := range special {
			if _, err := f.Open(name); !errors.Is(err, repofs.ErrNotRegular) {
				t.Errorf("Open(%s) = %v, want ErrNotRegular", name, err)
			}
			if _, err := repofs.ReadFile(f, name, 0); !errors.Is(err, repofs.ErrNotRegular) {
				t.Errorf("ReadFile(%s) = %v, want ErrNotRegular", name, err)
			}
			if _, err := repofs.ReadPath(filepath.Join(dir, name), 0); !errors.Is(err, repofs.ErrNotRegular) {
				t.Errorf("ReadPath(%s) = %v, want ErrNotRegular", name, err)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("opening a special file hung")
	}
	if data, err := f.ReadFile("ok.yaml"); err != nil || string(data) != "a: 1\n" {
		t.Errorf("ReadFile(ok.yaml) = %q, %v", data, err)
	}
	entries, err := fs.ReadDir(f, ".")
	if err != nil || len(entries) == 0 {
		t.Errorf("ReadDir(.) = %v, %v; a folder must still list", entries, err)
	}
}
