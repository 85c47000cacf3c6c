package sfsandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// writeAtomic replaces path with data so that a reader (or a crash) sees
// either the old file or the new one, never a mix: write a temp file in the
// same folder, fsync it, rename it over path, fsync the folder. hook, when
// set, runs before the rename (tests make it fail).
//
// It is the same as the HubSpot sandbox's writeAtomic; both belong in a
// shared package (see the lead's notes).
func writeAtomic(path string, data []byte, hook func(tmp string) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create state folder: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temp state file: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write temp state file: %w", err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("chmod temp state file: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsync temp state file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close temp state file: %w", err)
	}
	if hook != nil {
		if err := hook(tmp); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace state file: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes the rename durable. Some file systems cannot fsync a
// folder; that is not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open state folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return fmt.Errorf("fsync state folder: %w", err)
	}
	return nil
}
