// Package workspace runs mops's verbs against a governance repository on
// disk. For each verb it gathers what the engine package owning the verb
// needs from the folder, git and the environment (validated documents,
// mops.yaml, the commit, the live systems, approvals) and hands it over:
// plans to reconcile, drift checks to drift, imports to importer, applies
// to apply, the change log to changelog. The command line calls one
// function here per verb and renders what it returns; the packages it
// calls never see the folder, git or the environment themselves.
package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/validate"
)

// Workspace is a governance repository folder and the outside world the
// verbs read.
type Workspace struct {
	// Dir is the repository folder (it holds mops.yaml).
	Dir string
	// Now is the clock.
	Now func() time.Time
	// Getenv reads the token variables mops.yaml names, and the actor.
	Getenv func(string) string
	// Version is the mops version, recorded in plans.
	Version string
	// Connect are the options live systems are opened with (where their
	// clients log).
	Connect []systems.Option
	// Progress, when set, hears how far long live-system work (a record
	// migration) has got.
	Progress live.Progress
}

// Project reads mops.yaml alone, for verbs that need no documents.
func (w Workspace) Project() (model.Project, error) {
	b, findings, err := load.Load(repofs.DirFS(w.Dir), load.Options{Files: []string{}})
	if err != nil {
		return model.Project{}, err
	}
	for _, f := range findings {
		if f.Blocking() {
			return model.Project{}, fmt.Errorf("%s:%d:%d: %s", f.File, f.Line, f.Column, f.Message)
		}
	}
	return b.ProjectSpec()
}

// valid validates the repository and returns its documents, or a
// *validate.InvalidError holding the findings that block them.
func (w Workspace) valid(ctx context.Context) (*model.Bundle, error) {
	return validate.Valid(ctx, w.Dir, w.Now())
}

// loose loads the repository in dir without validating its documents;
// only a broken mops.yaml stops it.
func loose(dir string) (*model.Bundle, error) {
	b, findings, err := load.Load(repofs.DirFS(dir), load.Options{})
	if err != nil {
		return nil, err
	}
	for _, f := range findings {
		if f.Blocking() && f.File == load.ProjectFile {
			return nil, fmt.Errorf("%s: %s:%d:%d: %s", dir, f.File, f.Line, f.Column, f.Message)
		}
	}
	return b, nil
}

// session is a validated repository with its systems open.
type session struct {
	bundle *model.Bundle
	sel    *systems.Selection
	// commit and dirty are the repository's git state.
	commit string
	dirty  bool
}

// open validates the repository and opens the systems named (every bound
// one when none is; see systems.Select). Close the session's systems.
func (w Workspace) open(ctx context.Context, names []string) (*session, error) {
	b, err := w.valid(ctx)
	if err != nil {
		return nil, err
	}
	sel, err := systems.Select(ctx, w.Dir, b, names, w.Getenv, w.Connect...)
	if err != nil {
		return nil, err
	}
	commit, dirty := gitrepo.State(w.Dir)
	return &session{bundle: b, sel: sel, commit: commit, dirty: dirty}, nil
}

// changelogPath is the change log mops.yaml names (spec.changelog),
// checked to stay inside the repository.
func (w Workspace) changelogPath(proj model.Project) (string, error) {
	p, err := repofs.Inside(w.Dir, proj.ChangelogFile())
	if err != nil {
		return "", fmt.Errorf("spec.changelog in mops.yaml: %w", err)
	}
	return p, nil
}
