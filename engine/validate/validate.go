// Package validate runs the checking pipeline over a governance repository:
// load (YAML with positions), JSON Schema, then policies, each a stage that
// adds findings to one report. Repository builds the pipeline for a folder
// the way `mops validate` runs it: the policy stage compiles the built-in
// and repository policies while the documents load, dates waivers by the
// commit that granted them (git blame), gives change-aware rules the base
// revision, and with ChangedSince checks only what changed and what
// depends on it (RunChanged). It streams the campaigns (Stream), holding
// findings rather than documents. Valid is the gate of every command that
// acts on live systems: a repository with a deny finding is an
// *InvalidError.
package validate

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
)

// Stage checks a loaded bundle and returns findings. The policy engine is
// one; keeping it behind this interface lets validate run without it (for
// `mops validate --no-policies`) and tests swap it.
type Stage interface {
	Evaluate(ctx context.Context, b *model.Bundle) ([]source.Finding, error)
}

// Options configure a run.
type Options struct {
	// Load is passed to the loader.
	Load load.Options
	// Stages run after the schema check, in order.
	Stages []Stage
	// Report, when set, limits the findings reported to those whose file
	// it accepts (for --changed-since); every document is still loaded
	// so cross-references resolve.
	Report func(file string) bool
}

// Run validates the repository in fsys.
func Run(ctx context.Context, fsys fs.FS, v *schema.Validator, opts Options) (*source.Report, *model.Bundle, error) {
	b, findings, err := loadBundle(fsys, v, opts)
	if err != nil {
		return nil, nil, err
	}
	return check(ctx, b, findings, opts)
}

// check runs the stages on a loaded (and schema-checked) bundle.
func check(ctx context.Context, b *model.Bundle, findings []source.Finding, opts Options) (*source.Report, *model.Bundle, error) {
	for _, s := range opts.Stages {
		fs, err := s.Evaluate(ctx, b)
		if err != nil {
			return nil, b, err
		}
		findings = append(findings, fs...)
	}
	if opts.Report != nil {
		kept := findings[:0]
		for _, f := range findings {
			if opts.Report(f.File) {
				kept = append(kept, f)
			}
		}
		findings = kept
	}
	source.Sort(findings)
	r := &source.Report{Findings: findings, Sources: b.Sources}
	r.Summary.Files = b.Files
	r.Summary.Documents = b.Documents()
	r.Summary.Count(findings)
	return r, b, nil
}

// loadBundle loads the repository and checks every document against its
// schema as it is parsed, on the loader's workers.
func loadBundle(fsys fs.FS, v *schema.Validator, opts Options) (*model.Bundle, []source.Finding, error) {
	if v != nil {
		opts.Load.Check = v.Validate
	}
	b, findings, err := load.Load(fsys, opts.Load)
	if err != nil {
		return nil, nil, fmt.Errorf("load repository: %w", err)
	}
	return b, findings, nil
}
