package policy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

// Run is one evaluation run: the index of a repository, converted to Rego
// values once, and documents evaluated against it one at a time, from any
// number of goroutines. EvaluateOnly evaluates a whole bundle this way;
// `mops validate` streams its campaigns through a run without holding
// them all (engine/validate).
//
// Each document has its own time limit (Options.Timeout): one that
// exceeds it is a policy.timeout finding at that document, and the run
// goes on. The run as a whole has a limit that grows with the number of
// documents (Options.RunTimeout), and the memory limit; past either,
// Document returns an error and the run is over.
type Run struct {
	e       *Engine
	ctx     context.Context
	stop    func()
	in      *inputs
	today   time.Time
	waivers *waiverCheck
	// caches hold the run-constant values (runcache.go); each is used by
	// one evaluation at a time, so lookups take no lock.
	caches chan *sharedCache
	limit  time.Duration
}

// Verdict is what the policies found of one document: their findings with
// waivers applied, before the run's quota (Run.Findings).
type Verdict struct {
	file  string
	index int
	// reported holds what each package reported.
	reported []reported
	// own holds the engine's findings: waivers, the time limit.
	own []source.Finding
}

// Empty reports whether the verdict holds no finding.
func (v Verdict) Empty() bool { return len(v.reported) == 0 && len(v.own) == 0 }

// Start begins a run over the documents of b and about n documents in all
// (those of b that will be evaluated and those that will follow), which
// sizes the run's time limit. input.index holds b's documents and the
// entries of extra (documents not in b, see Engine.Entry), in that order:
// of two with the same kind and name, the first wins. Close ends the run.
func (e *Engine) Start(ctx context.Context, b *model.Bundle, n int, extra []Entry) (*Run, error) {
	today := e.opts.today()
	docs := make([]*model.Document, 0, len(b.Docs)+1)
	if b.Project != nil {
		docs = append(docs, b.Project)
	}
	docs = append(docs, b.Docs...)
	in, err := buildInputs(docs, b.Project, today.Format(dateLayout), e.opts.Base, e.campaignReads, extra)
	if err != nil {
		return nil, fmt.Errorf("policy input: %w", err)
	}
	in.changed = e.opts.Changed
	// The limits are the policies': they start once the input is built.
	limit := e.opts.runTimeout(n)
	ctx, cancel := context.WithTimeout(ctx, limit)
	ctx, stopWatch := watchMemory(ctx, e.opts.memoryLimit())
	ctx = withRunCache(ctx)
	workers := runtime.GOMAXPROCS(0)
	return &Run{
		e: e, ctx: ctx, in: in, today: today, limit: limit,
		stop:    func() { stopWatch(); cancel() },
		waivers: newWaiverCheck(e, b, today),
		caches:  make(chan *sharedCache, workers),
	}, nil
}

// Close ends the run.
func (r *Run) Close() { r.stop() }

// Document evaluates every policy against d. It returns an error when the
// run cannot go on: its time or memory limit passed, ctx was cancelled, or
// a policy failed at run time.
func (r *Run) Document(d *model.Document) (Verdict, error) {
	if r.ctx.Err() != nil {
		return Verdict{}, r.stopped("")
	}
	shared := r.cache()
	defer r.release(shared)
	// One cancellation per document: its own time limit, or the run's end.
	stop := topdown.NewCancel()
	timer := time.AfterFunc(r.e.opts.timeout(), stop.Cancel)
	unwatch := context.AfterFunc(r.ctx, stop.Cancel)
	reps, err := r.e.evalDoc(r.ctx, d, r.in, r.today, stop, shared)
	expired := !timer.Stop()
	unwatch()
	v := Verdict{file: d.File, index: d.Index}
	switch {
	case err == nil:
		v.reported = reps
	case r.ctx.Err() != nil:
		return Verdict{}, r.stopped(d.File)
	case expired && topdown.IsCancel(err):
		v.own = append(v.own, d.Finding(RuleTimeout, source.Deny, "", fmt.Sprintf(
			"policy evaluation of this document stopped at its time limit of %s: a policy loops or is too slow for it", r.e.opts.timeout())))
	default:
		return Verdict{}, err
	}
	active, problems := r.waivers.check(d)
	for _, rep := range v.reported {
		markWaived(rep.findings, active)
	}
	v.own = append(v.own, problems...)
	return v, nil
}

func (r *Run) cache() *sharedCache {
	select {
	case c := <-r.caches:
		return c
	default:
		return &sharedCache{}
	}
}

func (r *Run) release(c *sharedCache) {
	select {
	case r.caches <- c:
	default:
	}
}

// stopped is the error of a run that ended early, naming the document
// being checked, if any.
func (r *Run) stopped(file string) error {
	where := ""
	if file != "" {
		where = " (while checking " + file + ")"
	}
	switch cause := context.Cause(r.ctx); {
	case errors.Is(cause, context.DeadlineExceeded):
		return fmt.Errorf("policy evaluation stopped at the time limit of %s for the whole run%s: a policy is too slow for this repository", r.limit, where)
	case errors.Is(cause, ErrMemoryLimit):
		return fmt.Errorf("policy evaluation stopped at the %w%s: a policy builds values too large", cause, where)
	}
	return fmt.Errorf("policy evaluation: %w", r.ctx.Err())
}

// Findings turns the run's verdicts into findings, sorted. A repository
// package's quota is counted in document order (file order, as loading
// walks the repository, mops.yaml first), whatever order vs is in.
func (r *Run) Findings(vs []Verdict) []source.Finding {
	vs = slices.Clone(vs)
	slices.SortStableFunc(vs, func(a, b Verdict) int {
		return cmp.Or(walkOrder(a.file, b.file), cmp.Compare(a.index, b.index))
	})
	q := r.e.newQuota()
	var out []source.Finding
	for _, v := range vs {
		for _, rep := range v.reported {
			out = append(out, q.admit(rep)...)
		}
		out = append(out, v.own...)
	}
	out = append(out, q.exceeded()...)
	source.Sort(out)
	return out
}

// walkOrder compares two files as a walk of the repository meets them:
// mops.yaml first, then folder by folder, names in lexical order.
func walkOrder(a, b string) int {
	const project = "mops.yaml"
	switch {
	case a == b:
		return 0
	case a == project:
		return -1
	case b == project:
		return 1
	}
	for {
		ha, ra, moreA := strings.Cut(a, "/")
		hb, rb, moreB := strings.Cut(b, "/")
		if c := strings.Compare(ha, hb); c != 0 || !moreA || !moreB {
			if c == 0 { // one is a file, the other a folder of the same name
				return cmp.Compare(len(a), len(b))
			}
			return c
		}
		a, b = ra, rb
	}
}

// EvaluateOnly is Evaluate for the documents of b that only accepts (all
// when only is nil); the others still make up input.index. The scorecard
// checks a commit's new campaigns this way against the repository as it
// was, without checking every governance document again.
func (e *Engine) EvaluateOnly(ctx context.Context, b *model.Bundle, only func(*model.Document) bool) ([]source.Finding, error) {
	docs := make([]*model.Document, 0, len(b.Docs)+1)
	if b.Project != nil {
		docs = append(docs, b.Project)
	}
	docs = append(docs, b.Docs...)
	if only != nil {
		docs = slices.DeleteFunc(docs, func(d *model.Document) bool { return !only(d) })
	}
	r, err := e.Start(ctx, b, len(docs), nil)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	verdicts := make([]Verdict, len(docs))
	var (
		next     atomic.Int64
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), max(len(docs), 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(docs) {
					return
				}
				v, err := r.Document(docs[i])
				if err != nil {
					errOnce.Do(func() { firstErr = err; r.Close() })
					return
				}
				verdicts[i] = v
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return r.Findings(verdicts), nil
}
