package validate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/source"
)

// RulePolicy is the rule id of a repository policy that does not compile.
const RulePolicy = "policy"

// policyStage builds the policy engine from the loaded repository's
// spec.policies and evaluates it. A repository policy that does not
// compile (or uses a withheld built-in) is a deny finding at its file and
// line, like any other problem in the repository.
type policyStage struct {
	dir   string
	today time.Time
	// baseRef, when set, is the git revision whose documents change-aware
	// rules compare with (input.base).
	baseRef string
	// compiled is the engine compiling in the background while the
	// repository loads (see compilePolicies).
	compiled *pendingEngine
}

// pendingEngine is a policy engine compiling in the background.
type pendingEngine struct {
	// dirs are the policy folders (spec.policies) it compiles.
	dirs []string
	wait func() (*policy.Engine, error)
}

// newPolicyStage returns the policy stage of a run over dir, with the
// engine already compiling (see compilePolicies).
func newPolicyStage(ctx context.Context, dir string, today time.Time, baseRef string) policyStage {
	return policyStage{dir: dir, today: today, baseRef: baseRef, compiled: compilePolicies(ctx, dir, today)}
}

// compilePolicies starts compiling the built-in policies and those of the
// folders mops.yaml in dir names, and returns at once. Compiling takes
// ~40 ms; started before loading it overlaps loading instead of following
// it, which matters most to a changed-only run, which loads little.
func compilePolicies(ctx context.Context, dir string, today time.Time) *pendingEngine {
	p := &pendingEngine{}
	// Read mops.yaml alone: Files lists no other file.
	if b, _, err := load.Load(repofs.DirFS(dir), load.Options{Files: []string{}}); err == nil {
		if proj, err := b.ProjectSpec(); err == nil {
			p.dirs = proj.Policies
		}
	}
	var (
		e    *policy.Engine
		err  error
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		e, err = policy.New(ctx, policy.Options{Today: today, RepoPolicies: repofs.DirFS(dir), RepoPolicyDirs: p.dirs})
	}()
	p.wait = func() (*policy.Engine, error) {
		<-done
		return e, err
	}
	return p
}

func (s policyStage) Evaluate(ctx context.Context, b *model.Bundle) ([]source.Finding, error) {
	e, findings, err := s.engine(ctx, b)
	if e == nil {
		return findings, err
	}
	return e.Evaluate(ctx, b)
}

// engine returns the policy engine ready for a run over b: with the
// repository's policies, the base revision and waiver dating. When the
// policies cannot run (a repository policy does not compile), it returns
// a nil engine and the findings that say why.
func (s policyStage) engine(ctx context.Context, b *model.Bundle) (*policy.Engine, []source.Finding, error) {
	proj, err := b.ProjectSpec()
	if err != nil {
		proj = model.Project{} // the schema stage reports what is wrong
	}
	var (
		base    *model.Bundle
		changed func(*model.Document) bool
	)
	if s.baseRef != "" {
		if base, changed, err = baseBundle(s.dir, s.baseRef, b); err != nil {
			return nil, nil, fmt.Errorf("base revision: %w", err)
		}
	}
	var e *policy.Engine
	if slices.Equal(s.compiled.dirs, proj.Policies) {
		e, err = s.compiled.wait()
	} else {
		e, err = policy.New(ctx, policy.Options{Today: s.today, RepoPolicies: repofs.DirFS(s.dir), RepoPolicyDirs: proj.Policies})
	}
	var ce *policy.CompileError
	if errors.As(err, &ce) {
		return nil, compileFindings(s.dir, ce), nil
	}
	if err != nil {
		f := source.Finding{Rule: RulePolicy, Severity: source.Deny, File: load.ProjectFile, Message: err.Error()}
		var fe *policy.FolderError
		if errors.As(err, &fe) && b.Project != nil {
			f = f.At(b.Project.PosOf(fmt.Sprintf("spec.policies[%d]", fe.Index)))
		}
		return nil, []source.Finding{f}, nil
	}
	return e.ForRun(base, waiverDates(s.dir)).WithChanged(changed), nil, nil
}

// baseBundle loads, at git revision ref, the files that hold the documents
// change-aware rules compare (taxonomies, lifecycle models, consent
// policies) in head, and tells which documents' files differ from ref
// (history-aware rules spare campaigns a change leaves alone).
func baseBundle(dir, ref string, head *model.Bundle) (*model.Bundle, func(*model.Document) bool, error) {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	fsys, _, err := repo.FS(ref)
	if err != nil {
		return nil, nil, err
	}
	snap, err := repo.Snapshot(ref)
	if err != nil {
		return nil, nil, err
	}
	changed := func(d *model.Document) bool { return !snap.Same(d.File, d.Source()) }
	want := []string{} // non-nil: load these files only, even none
	for _, d := range head.Docs {
		switch d.Kind {
		case model.KindTaxonomy, model.KindLifecycleModel, model.KindConsentPolicy:
			if !slices.Contains(want, d.File) {
				want = append(want, d.File)
			}
		}
	}
	slices.Sort(want)
	b, _, err := load.Load(fsys, load.Options{Files: want})
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", ref, err)
	}
	return b, changed, nil
}

// waiverDates dates each waiver by the commit that last changed its
// `until` line (git blame), so the 90-day limit counts from when the waiver
// was granted or extended. Outside git, or for a line not committed as it
// stands (an uncommitted edit), the waiver counts as added today.
//
// The repository is opened on the first waiver, so runs without waivers
// never touch git.
func waiverDates(dir string) func(*model.Document, policy.Waiver) time.Time {
	open := sync.OnceValues(func() (*gitrepo.Repo, error) { return gitrepo.Open(dir) })
	var mu sync.Mutex
	blamed := map[string][]gitrepo.Line{}
	return func(d *model.Document, w policy.Waiver) time.Time {
		repo, err := open()
		if err != nil {
			return time.Time{} // outside git: the waiver counts from today
		}
		pos := d.PosOf(fmt.Sprintf("metadata.waivers[%d].until", w.Index))
		mu.Lock()
		lines, ok := blamed[d.File]
		if !ok {
			lines, _ = repo.Blame(d.File) // not in HEAD: no dates
			blamed[d.File] = lines
		}
		mu.Unlock()
		if pos.Line < 1 || pos.Line > len(lines) {
			return time.Time{}
		}
		l := lines[pos.Line-1]
		if text, _ := source.Line(d.Source(), pos.Line); l.Text != text {
			return time.Time{}
		}
		return l.Date
	}
}

func compileFindings(dir string, ce *policy.CompileError) []source.Finding {
	var out []source.Finding
	for _, e := range ce.Errors {
		f := source.Finding{Rule: RulePolicy, Severity: source.Deny, Message: e.Message}
		if e.Location != nil {
			f.File, f.Line, f.Column = e.Location.File, e.Location.Row, e.Location.Col
			if rel, err := filepath.Rel(dir, f.File); err == nil && filepath.IsLocal(rel) {
				f.File = filepath.ToSlash(rel)
			}
		}
		out = append(out, f)
	}
	return out
}

// RuleDescriptions maps every built-in rule id to its one-line
// description, for reports that carry rule metadata (SARIF).
func RuleDescriptions() map[string]string {
	out := map[string]string{}
	for _, r := range policy.Rules() {
		out[r.ID] = r.Description
	}
	return out
}
