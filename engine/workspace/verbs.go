package workspace

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/codeowners"
	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/semdiff"
)

// Log reads the change log mops.yaml names and keeps the records f
// selects.
func (w Workspace) Log(f changelog.Filter) (*changelog.Report, error) {
	proj, err := w.Project()
	if err != nil {
		return nil, err
	}
	path, err := w.changelogPath(proj)
	if err != nil {
		return nil, err
	}
	return changelog.Show(path, f)
}

// Verify checks the hash chain of the whole change log mops.yaml names.
func (w Workspace) Verify() (*changelog.Verdict, error) {
	proj, err := w.Project()
	if err != nil {
		return nil, err
	}
	path, err := w.changelogPath(proj)
	if err != nil {
		return nil, err
	}
	return changelog.Check(path, filepath.ToSlash(proj.ChangelogFile()))
}

// Test runs the Rego unit tests of the built-in policies and of the
// repository's policy folders.
func (w Workspace) Test(ctx context.Context) (policy.TestReport, error) {
	proj, err := w.Project()
	if err != nil {
		return policy.TestReport{}, err
	}
	return policy.RunTests(ctx, policy.Options{Today: w.Now(), RepoPolicies: repofs.DirFS(w.Dir), RepoPolicyDirs: proj.Policies})
}

// Codeowners validates the repository and generates its CODEOWNERS file.
// prefix is the repository's folder inside the git repository; "auto"
// detects it.
func (w Workspace) Codeowners(ctx context.Context, prefix string) (string, error) {
	b, err := w.valid(ctx)
	if err != nil {
		return "", err
	}
	return codeowners.Generate(b, w.PathPrefix(prefix))
}

// PathPrefix resolves a --path-prefix flag: "auto" is the repository's
// folder relative to the root of its git work tree.
func (w Workspace) PathPrefix(flag string) string {
	if flag == "auto" {
		return gitrepo.Prefix(w.Dir)
	}
	return flag
}

// Serve opens the sandbox system called name ("" is spec.defaultSystem)
// and listens for it; the caller serves it.
func (w Workspace) Serve(name string, opts systems.ServeOptions) (*systems.Server, error) {
	proj, err := w.Project()
	if err != nil {
		return nil, err
	}
	return systems.Listen(w.Dir, proj, name, opts)
}

// Diff is a semantic diff between two revisions, and what kept documents
// out of it.
type Diff struct {
	Report *semdiff.Report
	// Skipped are the load problems of each side (base first).
	Skipped []semdiff.LoadProblems
}

// Diff compares the governance documents at git revision base with those
// at head ("" is the working tree). Documents that do not load are left
// out, not fatal: a diff is for review, not validation.
func (w Workspace) Diff(base, head string) (*Diff, error) {
	repo, err := gitrepo.Open(w.Dir)
	if err != nil {
		return nil, fmt.Errorf("%w; mops diff compares git revisions, so run it in a clone", err)
	}
	out := &Diff{}
	side := func(name, ref string) (*model.Bundle, semdiff.Side, error) {
		var fsys fs.FS = repofs.DirFS(w.Dir)
		var s semdiff.Side
		if ref != "" {
			f, c, err := repo.FS(ref)
			if err != nil {
				return nil, s, fmt.Errorf("--%s: %w", name, err)
			}
			fsys, s = f, semdiff.Side{Ref: ref, Commit: c.Hash}
		}
		b, findings, err := load.Load(fsys, load.Options{})
		if err != nil {
			return nil, s, fmt.Errorf("load %s %s: %w", name, s.Title(), err)
		}
		if len(findings) > 0 {
			out.Skipped = append(out.Skipped, semdiff.LoadProblems{Side: name, Title: s.Title(), Findings: findings})
		}
		return b, s, nil
	}
	baseBundle, baseSide, err := side("base", base)
	if err != nil {
		return nil, err
	}
	headBundle, headSide, err := side("head", head)
	if err != nil {
		return nil, err
	}
	out.Report = semdiff.Diff(baseBundle, headBundle)
	out.Report.Base, out.Report.Head = baseSide, headSide
	return out, nil
}
