// Package atomicfile replaces files so that a reader, or a crash, sees
// either the old content or the new one, never a mix. Plans, sandbox
// state and imported YAML are all written this way.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Write replaces path with data: it writes a temp file in the same
// folder, fsyncs it, renames it over path and fsyncs the folder. The
// folder is created when missing. beforeRename, when set, runs just before
// the rename (tests make it fail to prove the old file survives).
func Write(path string, data []byte, perm os.FileMode, beforeRename func(tmp string) error) error {
	return write(path, data, perm, beforeRename, true)
}

// WriteUnsynced replaces path like Write, without the two fsyncs: readers
// still see the old content or the new, but after a crash the file may be
// empty or cut short. For caches, whose loss only costs time and which
// can tell a cut-short file (an fsync costs ~100 ms on a virtual machine).
func WriteUnsynced(path string, data []byte, perm os.FileMode) error {
	return write(path, data, perm, nil, false)
}

func write(path string, data []byte, perm os.FileMode, beforeRename func(tmp string) error, durable bool) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if durable {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", path, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if beforeRename != nil {
		if err := beforeRename(tmp); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	if !durable {
		return nil
	}
	return syncDir(dir)
}

// syncDir makes the rename durable. Some file systems cannot fsync a
// folder; that is not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
