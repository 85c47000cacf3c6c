package validate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
)

// Stream validates the repository in fsys as Run does, and reports the
// same findings, without holding every campaign: memory grows with the
// other documents and the findings, not with the campaigns.
//
// A first pass loads every document but the campaigns (load.LoadSplit)
// and starts the policy run with them as input.index; when a repository
// policy reads campaigns through input.index, it also reads every
// campaign file for the fields the policies read of them. Then workers
// take one campaign file at a time: read, parse, JSON Schema, policies,
// findings, and the documents are dropped. A file's content is kept only
// when it has findings (the text report quotes its lines). The campaigns'
// names are checked for duplicates at the end, and a duplicate's other
// findings dropped, as loading does.
//
// Stream needs the policy stage to check documents one at a time; with
// other stages it runs Run. Plan, drift and apply keep using Run: they
// need the documents themselves.
func Stream(ctx context.Context, fsys fs.FS, v *schema.Validator, opts Options) (*source.Report, error) {
	var stage *policyStage
	switch {
	case len(opts.Stages) == 1:
		s, ok := opts.Stages[0].(policyStage)
		if !ok {
			return runReport(ctx, fsys, v, opts)
		}
		stage = &s
	case len(opts.Stages) > 1:
		return runReport(ctx, fsys, v, opts)
	}
	lopts := opts.Load
	if v != nil {
		lopts.Check = v.Validate
	}
	split, err := load.LoadSplit(fsys, lopts)
	if err != nil {
		return nil, fmt.Errorf("load repository: %w", err)
	}
	s := &stream{split: split}
	if stage != nil {
		if err := s.startPolicies(ctx, *stage); err != nil {
			return nil, err
		}
		if s.run != nil {
			defer s.run.Close()
		}
	}
	if err := s.check(); err != nil {
		if errors.Is(err, errNotCampaigns) {
			// A file taken for campaigns that holds another kind (it
			// fooled the recognition by lines, or changed meanwhile):
			// check everything again, the long way.
			return runReport(ctx, fsys, v, opts)
		}
		return nil, err
	}
	return s.report(opts.Report), nil
}

// runReport is Run, without the bundle.
func runReport(ctx context.Context, fsys fs.FS, v *schema.Validator, opts Options) (*source.Report, error) {
	r, _, err := Run(ctx, fsys, v, opts)
	return r, err
}

// errNotCampaigns stops a stream whose campaign file turns out to hold
// another kind of document when it is parsed.
var errNotCampaigns = errors.New("a campaign file holds other documents")

// stream is one run of Stream.
type stream struct {
	split *load.Split
	// run evaluates the policies; nil without a policy stage, or when
	// the policies cannot run (then policyFindings say why).
	run            *policy.Run
	policyFindings []source.Finding
	// bundle holds the verdicts on the bundle's documents.
	bundle []policy.Verdict
	// files holds what each campaign file gave, by its index in
	// split.Campaigns.
	files []campaignFile
}

// campaignFile is what checking one campaign file gave.
type campaignFile struct {
	// data is the file's content, kept when it has findings.
	data     []byte
	findings []source.Finding
	docs     []campaignCheck
}

// campaignCheck is what checking one campaign gave: what the duplicate
// check needs (its name, where it begins and where its name is, in its
// file), and its findings. Kept for every campaign to the end of the run,
// so kept small.
type campaignCheck struct {
	name      string
	start, at lineCol
	checked   []source.Finding
	verdict   *policy.Verdict // nil when the policies found nothing
}

type lineCol struct{ line, column int32 }

func lineColOf(p source.Pos) lineCol { return lineCol{int32(p.Line), int32(p.Column)} }

func (lc lineCol) in(file string) source.Pos {
	return source.Pos{File: file, Line: int(lc.line), Column: int(lc.column)}
}

// startPolicies builds the policy engine for the bundle and starts its run,
// with the campaigns' entries in input.index when a policy reads them
// there.
func (s *stream) startPolicies(ctx context.Context, stage policyStage) error {
	b := s.split.Bundle
	e, findings, err := stage.engine(ctx, b)
	if e == nil {
		s.policyFindings = findings
		return err
	}
	var entries []policy.Entry
	if e.Indexes(model.KindCampaign) {
		if entries, err = s.campaignEntries(e); err != nil {
			return err
		}
	}
	n := b.Documents()
	for _, f := range s.split.Campaigns {
		n += max(len(f.Docs), 1)
	}
	s.run, err = e.Start(ctx, b, n, entries)
	return err
}

// campaignEntries reads every campaign file for the campaigns' entries in
// input.index, in file order.
func (s *stream) campaignEntries(e *policy.Engine) ([]policy.Entry, error) {
	byFile := make([][]policy.Entry, len(s.split.Campaigns))
	err := s.each(func(i int) error {
		for _, d := range s.split.Read(i, false).Docs {
			entry, ok, err := e.Entry(d)
			if err != nil {
				return fmt.Errorf("policy input: %w", err)
			}
			if ok {
				byFile[i] = append(byFile[i], entry)
			}
		}
		return nil
	})
	var out []policy.Entry
	for _, es := range byFile {
		out = append(out, es...)
	}
	return out, err
}

// check evaluates the policies on the bundle's documents, then checks
// every campaign file.
func (s *stream) check() error {
	b := s.split.Bundle
	if s.run != nil {
		docs := b.Docs
		if b.Project != nil {
			docs = append([]*model.Document{b.Project}, docs...)
		}
		s.bundle = make([]policy.Verdict, len(docs))
		err := each(len(docs), func(i int) (err error) {
			s.bundle[i], err = s.run.Document(docs[i])
			return err
		})
		if err != nil {
			return err
		}
	}
	s.files = make([]campaignFile, len(s.split.Campaigns))
	return s.each(func(i int) (err error) {
		s.files[i], err = s.campaigns(i)
		s.split.Drop(i)
		return err
	})
}

// campaigns checks the campaigns of campaign file i.
func (s *stream) campaigns(i int) (campaignFile, error) {
	read := s.split.Read(i, true)
	out := campaignFile{findings: read.Findings, docs: make([]campaignCheck, 0, len(read.Docs))}
	found := len(read.Findings) > 0
	for j, d := range read.Docs {
		if d.Kind != model.KindCampaign {
			return campaignFile{}, errNotCampaigns
		}
		c := campaignCheck{name: d.Name, start: lineColOf(d.Start()), at: lineColOf(d.PosOf("metadata.name"))}
		if read.Checked != nil {
			c.checked = read.Checked[j]
		}
		if s.run != nil {
			v, err := s.run.Document(d)
			if err != nil {
				return campaignFile{}, err
			}
			if !v.Empty() {
				c.verdict = &v
			}
		}
		found = found || len(c.checked) > 0 || c.verdict != nil
		out.docs = append(out.docs, c)
	}
	if found {
		out.data = read.Data
	}
	return out, nil
}

// report puts the findings together: the campaigns' names checked for
// duplicates, the policies' quota counted in document order, the findings
// that keep accepts (all when nil), sorted.
func (s *stream) report(keep func(string) bool) *source.Report {
	b := s.split.Bundle
	findings := append(s.split.Findings, s.policyFindings...)
	sources := b.Sources
	var named []load.Named
	for k, f := range s.files {
		file := s.split.Campaigns[k].Path
		for _, c := range f.docs {
			named = append(named, load.Named{Key: model.Key{Kind: model.KindCampaign, Name: c.name}, Start: c.start.in(file), NamePos: c.at.in(file)})
		}
	}
	dups := load.Duplicates(named)
	verdicts := s.bundle
	documents := b.Documents()
	i := 0
	for k, f := range s.files {
		findings = append(findings, f.findings...)
		for _, c := range f.docs {
			if dup, ok := dups[i]; ok {
				findings = append(findings, dup)
				if f.data == nil { // a finding the file did not know it had
					f.data = s.split.Content(k)
				}
			} else {
				documents++
				findings = append(findings, c.checked...)
				if c.verdict != nil {
					verdicts = append(verdicts, *c.verdict)
				}
			}
			i++
		}
		if f.data != nil {
			sources[s.split.Campaigns[k].Path] = f.data
		}
	}
	if s.run != nil {
		findings = append(findings, s.run.Findings(verdicts)...)
	}
	if keep != nil {
		kept := findings[:0]
		for _, f := range findings {
			if keep(f.File) {
				kept = append(kept, f)
			}
		}
		findings = kept
	}
	source.Sort(findings)
	r := &source.Report{Findings: findings, Sources: sources}
	r.Summary.Files = b.Files
	r.Summary.Documents = documents
	r.Summary.Count(findings)
	return r
}

// each runs f for every campaign file on GOMAXPROCS workers.
func (s *stream) each(f func(i int) error) error { return each(len(s.split.Campaigns), f) }

// each runs f(0) ... f(n-1) on GOMAXPROCS workers, and stops at the
// first error.
func each(n int, f func(i int) error) error {
	var (
		next     atomic.Int64
		failed   atomic.Bool
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					errOnce.Do(func() { firstErr = err })
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}
