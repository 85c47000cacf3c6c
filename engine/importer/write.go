package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mops-dev/mops/engine/atomicfile"
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
	if err := atomicfile.Write(path, data, 0o644, nil); err != nil {
		return "", err
	}
	return Written, nil
}
