package workspace

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mops-dev/mops/engine/importer"
	"github.com/mops-dev/mops/engine/scaffold"
)

// InitRequest says what mops init writes.
type InitRequest struct {
	// Name is the Project's name; empty means the folder's name.
	Name string
	// From is a live system type to import from instead of the samples.
	From string
	// URL is that system's API base URL (empty: the vendor's).
	URL string
}

// Initialized is what mops init wrote.
type Initialized struct {
	Dir string `json:"dir"`
	// Files are the files written, slash paths relative to Dir.
	Files []string `json:"files"`
	// Import is what the import from req.From wrote.
	Import *importer.Report `json:"import,omitempty"`
}

// Init writes a new governance repository into the workspace's folder,
// refusing to replace any file, and with req.From imports that system.
func (w Workspace) Init(ctx context.Context, req InitRequest) (*Initialized, error) {
	abs, err := filepath.Abs(w.Dir)
	if err != nil {
		return nil, err
	}
	name := req.Name
	if name == "" {
		name = filepath.Base(abs)
	}
	if req.From == "hubspot" && w.Getenv("HUBSPOT_TOKEN") == "" {
		return nil, errors.New("--from hubspot reads HubSpot with the private-app token in HUBSPOT_TOKEN, which is not set; nothing was written")
	}
	files, err := scaffold.Files(scaffold.Options{Name: name, From: req.From, URL: req.URL})
	if err != nil {
		return nil, err
	}
	if err := scaffold.Write(w.Dir, files); err != nil {
		var ee *scaffold.ExistsError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%s already has %d of the files init writes, so nothing was written:\n  %s\nRun init in an empty folder, or move these away", w.Dir, len(ee.Paths), strings.Join(ee.Paths, "\n  "))
		}
		return nil, err
	}
	out := &Initialized{Dir: w.Dir}
	for _, f := range files {
		out.Files = append(out.Files, f.Path)
	}
	if req.From != "" {
		if out.Import, err = w.Import(ctx, ImportRequest{Out: w.Dir}); err != nil {
			return nil, fmt.Errorf("the repository is written, but the import from %s failed (fix it, then run mops import --dir %s --out %s): %w", req.From, w.Dir, w.Dir, err)
		}
	}
	return out, nil
}
