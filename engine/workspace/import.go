package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mops-dev/mops/engine/importer"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
)

// ImportRequest says what to import and where.
type ImportRequest struct {
	// System is the system to read ("" is spec.defaultSystem).
	System string
	// Out is the folder to write into.
	Out string
	// Objects are the object types to import (empty: the default ones).
	Objects []string
	// BoundOnly imports only the properties this repository binds.
	BoundOnly bool
	// Force replaces files that already exist.
	Force bool
}

// Import reads the system this repository names and writes its
// enumeration properties as YAML into req.Out. This repository's
// documents need not validate: import reads them only for bindings and
// deprecated values.
func (w Workspace) Import(ctx context.Context, req ImportRequest) (*importer.Report, error) {
	src, err := loose(w.Dir)
	if err != nil {
		return nil, err
	}
	sel, err := systems.Select(ctx, w.Dir, src, []string{req.System}, w.Getenv, w.Connect...)
	if err != nil {
		return nil, err
	}
	defer sel.Close()
	conn := sel.Open[0]
	to := importer.Target{Dir: req.Out, Force: req.Force}
	if _, err := os.Lstat(filepath.Join(req.Out, load.ProjectFile)); !errors.Is(err, fs.ErrNotExist) {
		if to.Existing, err = loose(req.Out); err != nil {
			return nil, err
		}
	}
	res, err := importer.Import(ctx, importer.Request{
		System: conn.System.Name, Provider: conn.Provider, Objects: req.Objects, BoundOnly: req.BoundOnly,
		Source: src, Existing: to.Existing, Now: w.Now(),
	})
	if err != nil {
		return nil, fmt.Errorf("import from %s: %w", conn.System.Name, err)
	}
	objects := req.Objects
	if len(objects) == 0 && !req.BoundOnly {
		objects = importer.DefaultObjects()
	}
	return importer.Save(res, conn.System, w.Dir, to, objects, w.Now())
}
