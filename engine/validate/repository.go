package validate

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/namecache"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
)

// Request is a validation of the governance repository in a folder, the
// way `mops validate` runs it: load, JSON Schema, then the built-in and
// repository policies.
type Request struct {
	// Dir is the repository folder (it holds mops.yaml).
	Dir string
	// Now is the run's date (date rules, waiver limits).
	Now time.Time
	// Base, when set, is the git revision whose documents the
	// change-aware rules compare with (input.base).
	Base string
	// ChangedSince, when set, reports only the documents changed since
	// this git revision and those that depend on them; it implies Base.
	ChangedSince string
	// Note, when set, is told of problems that do not change the result
	// (a names cache that could not be saved).
	Note func(error)
}

// Repository validates the repository req names. It streams the
// campaigns (see Stream): it holds the findings, not the documents.
func Repository(ctx context.Context, req Request) (*source.Report, error) {
	if req.ChangedSince != "" {
		return changedSince(ctx, req)
	}
	v, err := schema.New()
	if err != nil {
		return nil, fmt.Errorf("load schemas: %w", err)
	}
	stage := newPolicyStage(ctx, req.Dir, req.Now, req.Base)
	return Stream(ctx, repofs.DirFS(req.Dir), v, Options{Stages: []Stage{stage}})
}

// InvalidError is a repository with deny findings: a plan, a drift check,
// an apply or CODEOWNERS must never be made from documents mops rejects.
type InvalidError struct {
	// Report holds the blocking findings only.
	Report *source.Report
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("the repository does not validate (%d deny finding(s)); fix them first, see mops validate", e.Report.Summary.Deny)
}

// Valid validates the repository in dir and returns its documents, or an
// *InvalidError holding the findings that block it.
func Valid(ctx context.Context, dir string, now time.Time) (*model.Bundle, error) {
	v, err := schema.New()
	if err != nil {
		return nil, fmt.Errorf("load schemas: %w", err)
	}
	stage := newPolicyStage(ctx, dir, now, "")
	report, b, err := Run(ctx, repofs.DirFS(dir), v, Options{Stages: []Stage{stage}})
	if err != nil {
		return nil, err
	}
	if report.ExitCode() == 0 {
		return b, nil
	}
	blocking := *report
	blocking.Findings = nil
	for _, f := range report.Findings {
		if f.Blocking() {
			blocking.Findings = append(blocking.Findings, f)
		}
	}
	return nil, &InvalidError{Report: &blocking}
}

// changedSince validates what changed since req.ChangedSince in the git
// repository holding req.Dir, and what depends on it. The base revision's
// file list, the git index and the schemas are read side by side; loading
// then compares each file with the base as it reads it, and skips the
// campaign files the index shows unchanged whose names the names cache
// holds.
func changedSince(ctx context.Context, req Request) (*source.Report, error) {
	dir, ref := req.Dir, req.ChangedSince
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("--changed-since: %w", err)
	}
	stage := newPolicyStage(ctx, dir, req.Now, ref)
	var (
		wg         sync.WaitGroup
		v          *schema.Validator
		index      *gitrepo.IndexStat
		verr, ierr error
		names      *namecache.Cache
		// A names cache whose folder leaves the repository (a committed
		// .mops link) is neither read nor written.
		cachePath, cacheErr = repofs.Inside(dir, namecache.Path)
	)
	wg.Go(func() { v, verr = schema.New() })
	wg.Go(func() {
		names = namecache.Open(cachePath)
		index = &gitrepo.IndexStat{}
		if names.Len() > 0 { // without names to use, the index is no help
			index, ierr = repo.IndexStat()
		}
	})
	snap, err := repo.Snapshot(ref)
	wg.Wait()
	if err == nil {
		err = ierr
	}
	if err != nil {
		return nil, fmt.Errorf("--changed-since: %w", err)
	}
	if verr != nil {
		return nil, fmt.Errorf("load schemas: %w", verr)
	}
	base := gitBaseline{snap: snap, index: index, names: names}
	report, err := RunChanged(ctx, repofs.DirFS(dir), v, Options{Stages: []Stage{stage}}, base)
	if err != nil {
		return nil, err
	}
	// Only the next run's speed depends on the cache.
	if cacheErr != nil {
		cacheErr = fmt.Errorf("names cache not used: %w", cacheErr)
	} else {
		cacheErr = names.Save()
	}
	if cacheErr != nil && req.Note != nil {
		req.Note(cacheErr)
	}
	return report, nil
}

// gitBaseline is the base revision of a changed-only run: its files from
// git, what the git index knows of the working tree, and the names cache.
type gitBaseline struct {
	snap  gitrepo.Snapshot
	index *gitrepo.IndexStat
	names *namecache.Cache
}

func (b gitBaseline) Same(file string, data []byte) bool { return b.snap.Same(file, data) }

func (b gitBaseline) Files() []string { return b.snap.Files() }

func (b gitBaseline) Names(file string, d fs.DirEntry) ([]load.Name, bool) {
	want, ok := b.snap[file]
	if !ok {
		return nil, false
	}
	info, err := d.Info()
	if err != nil {
		return nil, false
	}
	if h, ok := b.index.Hash(file, info); !ok || h != want {
		return nil, false
	}
	return b.names.Get(want.String(), file)
}

// Scanned caches the names of a file loading found unchanged, so its
// content is the base's blob.
func (b gitBaseline) Scanned(file string, _ []byte, names []load.Name) {
	b.names.Put(b.snap[file].String(), names)
}
