package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Status says what Write did with one file.
type Status string

// Write outcomes.
const (
	// Written: the file was created or, with force, replaced.
	Written Status = "written"
	// Kept: a file was already there and force was off; it is unchanged.
	Kept Status = "kept"
)

// Outcome is what Write did with one file.
type Outcome struct {
	Path   string `json:"path"`
	Status Status `json:"status"`
}

// Write writes each file under dir. A file already there is kept as it is
// unless force is set. Each file is written atomically (temp file, fsync,
// rename), so a crash never leaves half a document.
func Write(dir string, files []File, force bool) ([]Outcome, error) {
	out := make([]Outcome, 0, len(files))
	for _, f := range files {
		st, err := WriteFile(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data, force)
		if err != nil {
			return out, err
		}
		out = append(out, Outcome{Path: f.Path, Status: st})
	}
	return out, nil
}

// WriteFile writes data to path, creating folders, unless a file is there
// and force is off (then it returns Kept and writes nothing).
func WriteFile(path string, data []byte, force bool) (Status, error) {
	info, err := os.Lstat(path)
	switch {
	case err == nil && info.IsDir():
		return "", fmt.Errorf("write %s: a folder is in the way", path)
	case err == nil && !force:
		return Kept, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := writeAtomic(path, data); err != nil {
		return "", err
	}
	return Written, nil
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}
