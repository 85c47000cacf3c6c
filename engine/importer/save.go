package importer

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repofs"
)

// Report is what an import wrote; the json format carries it as is.
type Report struct {
	System   string      `json:"system"`
	Out      string      `json:"out"`
	Objects  []string    `json:"objects"`
	Files    []SavedFile `json:"files"`
	Skipped  []Skipped   `json:"skipped"`
	Warnings []string    `json:"warnings"`
}

// SavedFile is a generated file and what became of it.
type SavedFile struct {
	File
	Status Status `json:"status"`
}

// ProjectWritten reports whether the import wrote a new mops.yaml.
func (r *Report) ProjectWritten() bool {
	for _, f := range r.Files {
		if f.Kind == model.KindProject && f.Status == Written {
			return true
		}
	}
	return false
}

// Kept counts the files that already existed and were left as they are.
func (r *Report) Kept() int {
	n := 0
	for _, f := range r.Files {
		if f.Status == Kept {
			n++
		}
	}
	return n
}

// Target is the repository an import writes into.
type Target struct {
	// Dir is its folder (created if needed).
	Dir string
	// Existing is the repository already there, nil when Dir holds no
	// mops.yaml; then Save writes one.
	Existing *model.Bundle
	// Force replaces files that already exist.
	Force bool
}

// Save writes res into the target: a minimal mops.yaml naming sys when
// there is none, then every file. A sandbox system gets a sandbox of the
// target's own (see OwnSandbox), seeded with what the sandbox's state file
// in fromRoot holds now. objects are the object types imported, for the
// report.
func Save(res *Result, sys model.System, fromRoot string, to Target, objects []string, now time.Time) (*Report, error) {
	rep := &Report{System: sys.Name, Out: to.Dir, Objects: objects, Files: []SavedFile{}, Skipped: res.Skipped, Warnings: []string{}}
	projectPath := filepath.Join(to.Dir, load.ProjectFile)
	if to.Existing != nil {
		if p, err := to.Existing.ProjectSpec(); err == nil {
			if _, ok := p.System(sys.Name); !ok {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s has no system %q; add it to spec.systems, since the imported bindings name it", projectPath, sys.Name))
			}
		}
	} else {
		var state []byte
		if sys.Type == "sandbox" {
			path, err := repofs.Inside(fromRoot, sys.State)
			if err == nil {
				state, err = repofs.ReadPath(path, repofs.MaxFileSize)
			}
			if err != nil {
				return nil, fmt.Errorf("copy sandbox %s: %w", sys.Name, err)
			}
		}
		moved, seed := OwnSandbox(sys, state)
		if seed != nil {
			res.Files = append(res.Files, *seed)
		}
		abs, err := filepath.Abs(to.Dir)
		if err != nil {
			return nil, err
		}
		data, err := ProjectFile(filepath.Base(abs), moved, now)
		if err != nil {
			return nil, err
		}
		st, err := WriteFile(projectPath, data, false)
		if err != nil {
			return nil, err
		}
		rep.Files = append(rep.Files, SavedFile{File: File{Path: load.ProjectFile, Kind: model.KindProject, Name: Slug(filepath.Base(abs))}, Status: st})
	}
	outcomes, err := Write(to.Dir, res.Files, to.Force)
	if err != nil {
		return nil, err
	}
	for i, o := range outcomes {
		rep.Files = append(rep.Files, SavedFile{File: res.Files[i], Status: o.Status})
	}
	return rep, nil
}
