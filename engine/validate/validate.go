// Package validate runs the checking pipeline over a governance repository:
// load (YAML with positions), JSON Schema, then policies. It is what
// `mops validate` and CI run.
package validate

import (
	"context"
	"fmt"
	"io/fs"
	"runtime"
	"sync"

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
	b, findings, err := loadBundle(fsys, opts)
	if err != nil {
		return nil, nil, err
	}
	return check(ctx, b, findings, v, opts)
}

// check runs the schema and the stages on a loaded bundle.
func check(ctx context.Context, b *model.Bundle, findings []source.Finding, v *schema.Validator, opts Options) (*source.Report, *model.Bundle, error) {
	findings = append(findings, Schema(v, b)...)
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

func loadBundle(fsys fs.FS, opts Options) (*model.Bundle, []source.Finding, error) {
	b, findings, err := load.Load(fsys, opts.Load)
	if err != nil {
		return nil, nil, fmt.Errorf("load repository: %w", err)
	}
	return b, findings, nil
}

// Schema checks every document of b, the Project included, concurrently.
func Schema(v *schema.Validator, b *model.Bundle) []source.Finding {
	docs := b.Docs
	if b.Project != nil {
		docs = append([]*model.Document{b.Project}, docs...)
	}
	results := make([][]source.Finding, len(docs))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	chunk := (len(docs) + workers - 1) / max(workers, 1)
	for start := 0; start < len(docs); start += max(chunk, 1) {
		end := min(start+max(chunk, 1), len(docs))
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				results[i] = v.Validate(docs[i])
			}
		}(start, end)
	}
	wg.Wait()
	var out []source.Finding
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}
