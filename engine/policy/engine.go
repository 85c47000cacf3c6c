package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

// DefaultTimeout bounds the evaluation of one document (and each `mops
// test` test).
const DefaultTimeout = 10 * time.Second

// RunTimePerDocument is what the time limit of a whole run grows by with
// each document: a run of n documents stops after Options.Timeout + n ×
// RunTimePerDocument (about 17 minutes for 100,000, a hundred times what
// the built-in policies take), so a repository never fails for being big,
// while a policy that is slow on every document still ends.
const RunTimePerDocument = 10 * time.Millisecond

// Options configure the policy engine.
type Options struct {
	// Today is the run's date: policies see it as input.today and
	// time.now_ns returns its midnight UTC. Zero means the current date.
	Today time.Time
	// Timeout bounds the evaluation of one document; 0 means
	// DefaultTimeout. A document past it is a policy.timeout finding.
	Timeout time.Duration
	// RunTimeout bounds a whole run; 0 means Timeout + RunTimePerDocument
	// for each document. A run past it stops with an error.
	RunTimeout time.Duration
	// MemoryLimit bounds how many bytes a run's policies may grow the
	// live heap by; 0 means DefaultMemoryLimit.
	MemoryLimit uint64
	// RepoPolicies is the repository, for reading RepoPolicyDirs; may be nil
	// when there are no repository policies.
	RepoPolicies fs.FS
	// RepoPolicyDirs are the folders of repository policies (mops.yaml
	// spec.policies), slash-separated and relative to the repository root.
	// Every .rego file beneath them is loaded; *_test.rego files only run
	// under `mops test`.
	RepoPolicyDirs []string
	// AddedAt, when set, returns the date a waiver was added (for example
	// its commit date); the zero time means unknown. Unknown dates are
	// taken as Today when checking the 90-day limit.
	AddedAt func(doc *model.Document, w Waiver) time.Time
	// Base, when set, holds documents at a base revision (validate
	// --changed-since or --base). A document whose kind and name exist
	// there sees that version as input.base, for change-aware rules.
	Base *model.Bundle
	// Changed, when set, says whether a document's file differs from the
	// base revision; every document then sees it as input.changed (true or
	// false), and history-aware rules spare what a change does not touch.
	// Unset, input.changed is absent: the run knows no base.
	Changed func(d *model.Document) bool
}

func (o Options) today() time.Time {
	t := o.Today
	if t.IsZero() {
		t = time.Now()
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (o Options) memoryLimit() uint64 {
	if o.MemoryLimit > 0 {
		return o.MemoryLimit
	}
	return DefaultMemoryLimit
}

func (o Options) runTimeout(docs int) time.Duration {
	if o.RunTimeout > 0 {
		return o.RunTimeout
	}
	return o.timeout() + time.Duration(docs)*RunTimePerDocument
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// Engine evaluates the built-in and repository policies against a bundle.
// It is compiled once by New; Evaluate may be called many times and from
// several goroutines.
type Engine struct {
	opts    Options
	targets []target
	// byKind holds, for each kind, the prepared query over the deny and
	// warn sets that can apply to documents of that kind; all covers
	// every set, for documents of any other kind.
	byKind map[model.Kind]*prepared
	all    *prepared
	known  map[string]bool
	rules  []RuleInfo
	consts *constTrie
	// campaignReads is what the policies read of campaigns through
	// input.index (indexuse.go).
	campaignReads indexReads
	// repoPkgs are the packages of the repository's policies, which the
	// quota and the built-in rule ids limit (untrusted.go).
	repoPkgs map[string]bool
	reserved reservedIDs
}

// target is one deny or warn set the prepared queries read.
type target struct {
	pkg   string // the package, e.g. mops.campaign
	sev   source.Severity
	bind  string // the query variable holding it
	kinds kindFilter
	// partial is set when every rule of the set is a multi-value rule, so
	// the set is always defined (empty when nothing fires).
	partial bool
}

// prepared is one prepared query and the sets it reads.
type prepared struct {
	query   rego.PreparedEvalQuery
	targets []target
}

// New compiles the built-in policies and the repository's with the
// restricted capabilities and prepares the evaluation queries: one per kind
// of document, each reading only the deny and warn sets whose rules can
// apply to that kind (see kindFilter), all prepared here once. Problems in
// policy files are returned as a *CompileError naming file and line.
func New(ctx context.Context, opts Options) (*Engine, error) {
	caps := capabilities()
	all, err := loadAll(opts, caps, false)
	if err != nil {
		return nil, err
	}
	return newEngine(ctx, opts, all, caps)
}

// newEngine compiles modules and prepares the evaluation queries.
func newEngine(ctx context.Context, opts Options, all regoModules, caps *ast.Capabilities) (*Engine, error) {
	c, err := compile(all, caps, false)
	if err != nil {
		return nil, err
	}

	e := &Engine{opts: opts, targets: discoverTargets(c), consts: runConstants(c), byKind: map[model.Kind]*prepared{}}
	e.rules = append(rulesOf(all), engineRules()...)
	sortRules(e.rules)
	e.known = knownRules(all, e.rules)
	e.repoPkgs = map[string]bool{}
	builtin := regoModules{}
	var compiledBuiltin, compiledRepo []*ast.Module
	for _, name := range sortedKeys(all) {
		if m := all[name]; strings.HasPrefix(name, builtinPrefix) {
			builtin[name] = m
			compiledBuiltin = append(compiledBuiltin, c.Modules[name])
		} else {
			e.repoPkgs[strings.TrimPrefix(m.Package.Path.String(), "data.")] = true
			compiledRepo = append(compiledRepo, c.Modules[name])
		}
	}
	e.campaignReads = indexReadsOf(compiledBuiltin, compiledRepo, string(model.KindCampaign))
	e.reserved = reserve(append(rulesOf(builtin), engineRules()...))

	// One query per set of applicable targets: most rules start with
	// input.kind == "...", so a campaign need not visit the taxonomy rules.
	byKey := map[string]*prepared{}
	prepare := func(ts []target) (*prepared, error) {
		var key strings.Builder
		for _, t := range ts {
			key.WriteString(t.bind + " ")
		}
		if p, ok := byKey[key.String()]; ok {
			return p, nil
		}
		p := &prepared{targets: ts}
		var err error
		if p.query, err = prepareQuery(ctx, c, ts); err != nil {
			return nil, err
		}
		byKey[key.String()] = p
		return p, nil
	}
	if e.all, err = prepare(e.targets); err != nil {
		return nil, err
	}
	for _, k := range model.Kinds() {
		var ts []target
		for _, t := range e.targets {
			if t.kinds.allows(string(k)) {
				ts = append(ts, t)
			}
		}
		if e.byKind[k], err = prepare(ts); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// prepareQuery prepares the query that reads the deny and warn sets ts.
func prepareQuery(ctx context.Context, c *ast.Compiler, ts []target) (rego.PreparedEvalQuery, error) {
	var q strings.Builder
	q.WriteString("true")
	for _, t := range ts {
		ref := "data." + t.pkg + "." + string(t.sev)
		if t.partial {
			fmt.Fprintf(&q, "; %s := %s", t.bind, ref)
		} else {
			fmt.Fprintf(&q, "; %s := [x | x := %s]", t.bind, ref) // defined even when the set is not
		}
	}
	ropts := []func(*rego.Rego){rego.Compiler(c), rego.Query(q.String())}
	for _, b := range builtins() {
		ropts = append(ropts, b.opt)
	}
	pq, err := rego.New(ropts...).PrepareForEval(ctx)
	if err != nil {
		return pq, fmt.Errorf("prepare policy query: %w", err)
	}
	return pq, nil
}

// discoverTargets finds every deny and warn set under data.mops, with the
// kinds of document each can apply to.
func discoverTargets(c *ast.Compiler) []target {
	mopsRef := ast.MustParseRef("data.mops")
	index := map[string]int{}
	var out []target
	for _, name := range sortedKeys(c.Modules) {
		for _, rule := range c.Modules[name].Rules {
			ref := rule.Ref()
			if !ref.IsGround() || !ref.HasPrefix(mopsRef) || len(ref) < 3 {
				continue
			}
			last, ok := ref[len(ref)-1].Value.(ast.String)
			if !ok || (last != "deny" && last != "warn") {
				continue
			}
			pkg := strings.TrimPrefix(ref[:len(ref)-1].String(), "data.")
			key := pkg + "." + string(last)
			i, seen := index[key]
			if !seen {
				i = len(out)
				index[key] = i
				out = append(out, target{pkg: pkg, sev: source.Severity(last), bind: fmt.Sprintf("r%d", i),
					kinds: kindFilter{only: map[string]bool{}}, partial: true})
			}
			t := &out[i]
			t.kinds = t.kinds.union(ruleKinds(rule))
			t.partial = t.partial && rule.Head.RuleKind() == ast.MultiValue
		}
	}
	return out
}

// ForRun returns the engine with a run's base revision and waiver dating
// (Options.Base and Options.AddedAt), which only evaluation reads: the
// policies can be compiled before the repository is loaded, and a compiled
// engine serves runs with different bases.
func (e *Engine) ForRun(base *model.Bundle, addedAt func(doc *model.Document, w Waiver) time.Time) *Engine {
	c := *e
	c.opts.Base, c.opts.AddedAt = base, addedAt
	return &c
}

// WithChanged returns the engine with Options.Changed set for a run.
func (e *Engine) WithChanged(changed func(d *model.Document) bool) *Engine {
	c := *e
	c.opts.Changed = changed
	return &c
}

// WithToday returns the engine evaluating as on day t (input.today), as
// the scorecard does to check a commit as it stood on its own date.
func (e *Engine) WithToday(t time.Time) *Engine {
	c := *e
	c.opts.Today = t
	return &c
}

// Rules lists the rules of this engine's policies (built-in and
// repository) and of the engine itself.
func (e *Engine) Rules() []RuleInfo { return e.rules }

// Evaluate runs every policy against every document of b (the Project
// included) and returns the deny and warn findings with waivers applied.
// It returns an error when the policies cannot be run to the end: the time
// or memory limit passed, or a policy failed at run time.
func (e *Engine) Evaluate(ctx context.Context, b *model.Bundle) ([]source.Finding, error) {
	return e.EvaluateOnly(ctx, b, nil)
}

// reported is what one policy package reported about one document.
type reported struct {
	pkg      string
	findings []source.Finding
	// more counts the findings past those kept in findings (see
	// toFindings), for a repository package's quota.
	more int
}

func (e *Engine) evalDoc(ctx context.Context, d *model.Document, in *inputs, today time.Time, stop topdown.Cancel, shared *sharedCache) ([]reported, error) {
	p := e.byKind[d.Kind]
	if p == nil {
		p = e.all
	}
	input, err := in.of(d)
	if err != nil {
		return nil, fmt.Errorf("policy input: %w", err)
	}
	rs, err := p.query.Eval(ctx,
		rego.EvalParsedInput(input),
		rego.EvalTime(today),
		rego.EvalExternalCancel(stop),
		rego.EvalVirtualCache(newRunVirtualCache(e.consts, shared)),
		// Without it each evaluation builds a metrics registry and starts
		// timers nobody reads.
		rego.EvalMetrics(metrics.NoOp()),
	)
	if err != nil {
		if topdown.IsCancel(err) {
			return nil, err // the caller knows which limit passed
		}
		return nil, fmt.Errorf("evaluate policies on %s (%s): %w", d.File, d.Key(), err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("evaluate policies on %s (%s): the policy query was undefined", d.File, d.Key())
	}
	var out []reported
	for _, t := range p.targets {
		v := rs[0].Bindings[t.bind]
		if t.partial {
			if r := e.toFindings(d, t, v); len(r.findings) > 0 {
				out = append(out, r)
			}
			continue
		}
		wrapped, _ := v.([]any)
		for _, set := range wrapped {
			if r := e.toFindings(d, t, set); len(r.findings) > 0 {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// ruleID is the shape of a rule id: dotted, lower case, at least two parts.
var ruleID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$`)

// toFindings converts one deny or warn value into findings, reporting
// malformed ones as policy.invalid-finding, and a repository policy's
// finding under a built-in rule id as policy.impersonation. Messages are
// shortened (source.Shorten): a policy that quotes a 4 MB value does not
// echo it whole. A repository package's findings past its quota for a run
// are counted, not converted.
func (e *Engine) toFindings(d *model.Document, t target, v any) reported {
	r := reported{pkg: t.pkg}
	items, ok := v.([]any) // sets and arrays both arrive as []any
	if !ok {
		r.findings = []source.Finding{invalidFinding(d, t, fmt.Sprintf("%s is not a set of findings but %s", t.sev, describe(v)))}
		return r
	}
	repo := e.repoPkgs[t.pkg]
	if repo && len(items) > MaxRepoFindings {
		r.more, items = len(items)-MaxRepoFindings, items[:MaxRepoFindings]
	}
	out := make([]source.Finding, 0, len(items))
	for _, item := range items {
		obj, ok := item.(map[string]any)
		if !ok {
			out = append(out, invalidFinding(d, t, fmt.Sprintf("returned %s %s; a finding is an object {rule, message, path}", describe(item), short(item))))
			continue
		}
		rule, _ := obj["rule"].(string)
		msg, _ := obj["message"].(string)
		var missing []string
		if rule == "" {
			missing = append(missing, "rule")
		}
		if msg == "" {
			missing = append(missing, "message")
		}
		if len(missing) > 0 {
			out = append(out, invalidFinding(d, t, fmt.Sprintf("returned a %s finding without %s: %s", t.sev, strings.Join(missing, " or "), short(item))))
			continue
		}
		if !ruleID.MatchString(rule) {
			out = append(out, invalidFinding(d, t, fmt.Sprintf("returned rule id %s, which is not dotted lower case (like acme.budget-owner)", source.Quote(rule))))
			continue
		}
		if prefix, ok := e.reserved.claims(rule); ok && repo {
			out = append(out, d.Finding(RuleImpersonation, source.Deny, "", fmt.Sprintf("policy package %s returned rule id %s, which belongs to the built-in policies (%s*); a repository policy cannot report as a built-in rule: use an id of your own, such as acme.%s",
				t.pkg, source.Quote(rule), prefix, strings.TrimPrefix(rule, prefix))))
			continue
		}
		path, _ := obj["path"].(string)
		if path != "" {
			path = source.FormatPath(source.ParsePath(path))
		}
		out = append(out, d.Finding(rule, t.sev, path, source.Shorten(msg)))
	}
	r.findings = out
	return r
}

func invalidFinding(d *model.Document, t target, msg string) source.Finding {
	return d.Finding(RuleInvalidFinding, source.Deny, "", fmt.Sprintf("policy package %s: %s", t.pkg, msg))
}

func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case nil:
		return "null"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

func short(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return source.Cut(string(b), 200)
}
