// Package load reads a governance repository: it finds mops.yaml, walks the
// files it includes, and decodes every YAML document while keeping the
// position of every node. Problems are reported as `load` findings and
// loading goes on, so a user sees every broken file in one run.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/source"
)

// ProjectFile is the name of the project file at the repository root.
const ProjectFile = "mops.yaml"

// Defaults for Options.
const (
	DefaultMaxFileSize = 5 << 20
	// DefaultAliasBudget bounds how many nodes alias expansion may add to a
	// document beyond the nodes written in it.
	DefaultAliasBudget = 10_000
)

// DefaultInclude is the include list used when mops.yaml sets none.
func DefaultInclude() []string { return []string{"**/*.yaml", "**/*.yml"} }

// Options tune loading. The zero value uses the defaults and mops.yaml.
type Options struct {
	// MaxFileSize caps a file's size in bytes; 0 means spec.maxFileSize from
	// mops.yaml, or DefaultMaxFileSize. Neither can lift it above
	// repofs.MaxFileSize, which also bounds mops.yaml.
	MaxFileSize int64
	// AliasBudget caps alias expansion; 0 means DefaultAliasBudget.
	AliasBudget int
	// Workers parses files concurrently; 0 means GOMAXPROCS.
	Workers int
	// Files, when set, lists the files to load (slash paths relative to
	// the root) instead of walking the repository; a listed file that does
	// not exist is left out. mops.yaml is always read. Loading a few files
	// of a large revision (the base documents of change-aware rules) then
	// costs nothing per other file.
	Files []string
	// Only, when set, limits loading to these files (slash paths relative to
	// the root); mops.yaml is always read.
	Only func(file string) bool
	// Shallow, when set, is asked about every file read (the Project file
	// aside), with its content: a file it accepts that holds only Campaign
	// documents simple enough to read without parsing is not parsed; its
	// documents' names still take part in duplicate checks. `validate
	// --changed-since` uses it to skip the campaigns that are as they were
	// at the base revision, and to learn which files changed while they
	// are read. It must be safe for concurrent use.
	Shallow func(file string, data []byte) bool
	// Skip, when set, is asked about each governed file before it is
	// read; when it answers with the file's document names, the file is
	// neither read nor parsed and the names take part in duplicate checks
	// (validate --changed-since answers for files the git index and a
	// names cache show unchanged). It must be safe for concurrent use.
	Skip func(file string, d fs.DirEntry) ([]Name, bool)
	// Scanned, when set, receives the content and names of each file read
	// shallowly (see Shallow), for a cache that answers Skip next time. It
	// must be safe for concurrent use.
	Scanned func(file string, data []byte, names []Name)
	// Visit, when set, is called with every file the walk finds outside
	// hidden folders, governed or not, mops.yaml included.
	Visit func(file string)
	// Check, when set, checks each parsed document (the Project included)
	// right after parsing, in the worker that parsed it, while its values
	// are still in the processor's cache; validate passes the JSON Schema
	// check. Findings of a document dropped as a duplicate are dropped
	// with it. It must be safe for concurrent use.
	Check func(*model.Document) []source.Finding
}

// projectConfig is the part of mops.yaml that loading itself needs.
type projectConfig struct {
	Include     []string `yaml:"include"`
	Exclude     []string `yaml:"exclude"`
	MaxFileSize int64    `yaml:"maxFileSize"`
}

// Load reads the repository in fsys. The returned error is reserved for
// failures to run at all (an unreadable root); everything wrong with the
// repository's content is a finding.
func Load(fsys fs.FS, opts Options) (*model.Bundle, []source.Finding, error) {
	l := &loader{fsys: fsys, opts: opts, bundle: &model.Bundle{Sources: map[string][]byte{}}}
	if err := l.load(); err != nil {
		return nil, nil, err
	}
	return l.bundle, l.findings, nil
}

func (l *loader) load() error {
	if l.opts.AliasBudget <= 0 {
		l.opts.AliasBudget = DefaultAliasBudget
	}
	cfg, err := l.project()
	if err != nil {
		return err
	}
	if l.opts.MaxFileSize <= 0 {
		l.opts.MaxFileSize = cmpOr(cfg.MaxFileSize, DefaultMaxFileSize)
	}
	l.opts.MaxFileSize = repofs.Limit(l.opts.MaxFileSize)
	if err := l.walkAndParse(cfg); err != nil {
		return err
	}
	l.checkDuplicates()
	for _, fs := range l.checked {
		l.findings = append(l.findings, fs...)
	}
	source.Sort(l.findings)
	return nil
}

func cmpOr(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}

type loader struct {
	fsys     fs.FS
	opts     Options
	bundle   *model.Bundle
	findings []source.Finding
	shallow  []Name
	// checked holds Options.Check's findings of bundle.Docs[i] at i.
	checked [][]source.Finding
	// split is set for LoadSplit: campaigns go to campaigns, not the
	// bundle, and up to readAhead bytes of campaign files are kept from
	// the first reading for the second (held counts them).
	split     bool
	campaigns []CampaignFile
	held      atomic.Int64
}

func (l *loader) add(f source.Finding) {
	if f.Rule == "" {
		f.Rule = source.RuleLoad
	}
	if f.Severity == "" {
		f.Severity = source.Deny
	}
	l.findings = append(l.findings, f)
}

// project reads mops.yaml. A missing or broken project file is a finding;
// loading continues with the default include list.
func (l *loader) project() (projectConfig, error) {
	cfg := projectConfig{Include: DefaultInclude()}
	data, err := repofs.ReadFile(l.fsys, ProjectFile, repofs.MaxFileSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l.add(source.Finding{File: ProjectFile, Message: "mops.yaml not found at the repository root: every governance repository needs exactly one, with kind: Project (see `mops schema Project`)"})
		return cfg, nil
	case isProblem(err):
		l.add(readError(ProjectFile, err))
		return cfg, nil
	case err != nil:
		return cfg, fmt.Errorf("read %s: %w", ProjectFile, err)
	}
	l.bundle.Files++
	res := parseFile(ProjectFile, data, int64(len(data))+1, l.opts.AliasBudget, true)
	l.bundle.Sources[ProjectFile] = data
	for _, f := range res.findings {
		l.add(f)
	}
	for i, d := range res.docs {
		if d.Kind != model.KindProject {
			l.add(source.Finding{Message: fmt.Sprintf("mops.yaml must hold only the Project document; found kind %s (move it to its own file)", d.Kind), Kind: string(d.Kind), Name: d.Name}.At(d.PosOf("kind")))
			continue
		}
		if l.bundle.Project != nil {
			l.add(source.Finding{Message: fmt.Sprintf("a second Project document in mops.yaml; the first is at line %d", l.bundle.Project.Line), Kind: string(d.Kind), Name: d.Name}.At(d.Start()))
			continue
		}
		l.bundle.Project = res.docs[i]
		if l.opts.Check != nil {
			l.findings = append(l.findings, l.opts.Check(d)...)
		}
	}
	if l.bundle.Project == nil && len(res.findings) == 0 {
		l.add(source.Finding{File: ProjectFile, Line: 1, Column: 1, Message: "mops.yaml holds no Project document (expected apiVersion: mops.dev/v1, kind: Project)"})
	}
	if p := l.bundle.Project; p != nil {
		if spec, matched := source.Lookup(p.Root(), []string{"spec"}); matched == 1 && spec.Kind == yaml.MappingNode {
			var raw projectConfig
			// A type mismatch here is reported by the Project schema;
			// loading falls back to the defaults for the broken field.
			_ = spec.Decode(&raw)
			if len(raw.Include) > 0 {
				cfg.Include = raw.Include
			}
			cfg.Exclude = raw.Exclude
			cfg.MaxFileSize = raw.MaxFileSize
		}
	}
	for _, pat := range slices.Concat(cfg.Include, cfg.Exclude) {
		if !doublestar.ValidatePattern(pat) {
			pos := source.Pos{File: ProjectFile}
			if p := l.bundle.Project; p != nil {
				pos = p.PosOf("spec")
			}
			l.add(source.Finding{Message: fmt.Sprintf("%s is not a valid glob pattern (use forms like **/*.yaml or campaigns/**)", source.Quote(pat))}.At(pos))
		}
	}
	return cfg, nil
}

// walk lists the governed files in lexical order, handing each to found
// as soon as it is seen.
func (l *loader) walk(cfg projectConfig, found func(string, fs.DirEntry)) ([]string, error) {
	var files []string
	err := fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			l.add(readError(p, err))
			return nil
		}
		if d.IsDir() {
			// Hidden folders (.git, .mops, .github, .vscode, ...) hold
			// tooling, never governance documents.
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if l.opts.Visit != nil {
			l.opts.Visit(p)
		}
		if p == ProjectFile || !matchAny(cfg.Include, p) || matchAny(cfg.Exclude, p) {
			return nil
		}
		if path.Base(p) == ProjectFile {
			l.add(source.Finding{File: p, Line: 1, Column: 1, Message: "a second mops.yaml: a repository has exactly one, at its root (exclude this folder in spec.exclude if it is another repository)"})
			return nil
		}
		if l.opts.Only != nil && !l.opts.Only(p) {
			return nil
		}
		files = append(files, p)
		found(p, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk repository: %w", err)
	}
	return files, nil
}

func matchAny(patterns []string, p string) bool {
	for _, pat := range patterns {
		if ok, _ := doublestar.Match(pat, p); ok {
			return true
		}
	}
	return false
}

// walkAndParse walks the repository and reads and parses each governed
// file as the walk finds it, on Options.Workers goroutines (so reading
// starts with the first file, not after the last directory is listed),
// then merges the results in file order so output is deterministic.
func (l *loader) walkAndParse(cfg projectConfig) error {
	workers := l.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type job struct {
		i     int
		path  string
		entry fs.DirEntry
	}
	type done struct {
		i   int
		res fileResult
	}
	jobs := make(chan job, 256)
	byWorker := make([][]done, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := range jobs {
				byWorker[w] = append(byWorker[w], done{j.i, l.readAndParse(j.path, j.entry)})
			}
		})
	}
	n := 0
	found := func(p string, d fs.DirEntry) {
		jobs <- job{n, p, d}
		n++
	}
	var files []string
	var err error
	if l.opts.Files != nil {
		for _, p := range l.opts.Files {
			// A listed file that is there but cannot be read (a link
			// leaving the repository, say) is loaded, to report why.
			if _, statErr := fs.Stat(l.fsys, p); !errors.Is(statErr, fs.ErrNotExist) && p != ProjectFile {
				files = append(files, p)
				found(p, nil)
			}
		}
	} else {
		files, err = l.walk(cfg, found)
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return err
	}
	results := make([]fileResult, len(files))
	for _, list := range byWorker {
		for _, d := range list {
			results[d.i] = d.res
		}
	}
	l.merge(files, results)
	return nil
}

// merge adds the files' results to the bundle, in file order.
func (l *loader) merge(files []string, results []fileResult) {
	l.bundle.Files += len(files)
	for i, r := range results {
		if r.data != nil && !r.campaigns {
			l.bundle.Sources[files[i]] = r.data
		}
		for _, f := range r.findings {
			l.add(f)
		}
		l.shallow = append(l.shallow, r.shallow...)
		l.bundle.Shallow += len(r.shallow)
		if r.campaigns {
			l.campaigns = append(l.campaigns, CampaignFile{Path: files[i], data: r.data})
			continue
		}
		var campaigns *CampaignFile
		for j, d := range r.docs {
			if d.Kind == model.KindProject {
				l.add(source.Finding{Message: "a Project document belongs only in mops.yaml at the repository root", Kind: string(d.Kind), Name: d.Name}.At(d.PosOf("kind")))
				continue
			}
			var checked []source.Finding
			if r.checked != nil {
				checked = r.checked[j]
			}
			if l.split && d.Kind == model.KindCampaign {
				if campaigns == nil {
					l.campaigns = append(l.campaigns, CampaignFile{Path: files[i]})
					campaigns = &l.campaigns[len(l.campaigns)-1]
				}
				campaigns.Docs = append(campaigns.Docs, d)
				campaigns.Checked = append(campaigns.Checked, checked)
				continue
			}
			l.bundle.Docs = append(l.bundle.Docs, d)
			l.checked = append(l.checked, checked)
		}
	}
}

type fileResult struct {
	// campaigns is set for a file of campaigns a split load leaves for
	// later (see Split).
	campaigns bool
	data      []byte
	docs      []*model.Document
	shallow   []Name
	findings  []source.Finding
	// checked holds Options.Check's findings of docs[i] at i.
	checked [][]source.Finding
}

func (l *loader) readAndParse(p string, d fs.DirEntry) fileResult {
	if l.opts.Skip != nil && d != nil { // listed Files have no DirEntry
		if names, ok := l.opts.Skip(p, d); ok {
			return fileResult{shallow: names}
		}
	}
	data, problem := l.read(p)
	if problem != nil {
		return fileResult{findings: []source.Finding{*problem}}
	}
	if l.split {
		if campaignsOnly(data) {
			if l.held.Add(int64(len(data))) > readAhead {
				data = nil // read it again when its turn comes
			}
			return fileResult{campaigns: true, data: data}
		}
	}
	if l.opts.Shallow != nil && l.opts.Shallow(p, data) {
		if docs, ok := scanCampaigns(p, data); ok {
			if l.opts.Scanned != nil {
				l.opts.Scanned(p, data, docs)
			}
			return fileResult{data: data, shallow: docs}
		}
	}
	return l.parse(p, data, false)
}

// read reads file p, or tells why it cannot.
func (l *loader) read(p string) ([]byte, *source.Finding) {
	f, err := l.fsys.Open(p)
	if err != nil {
		problem := readError(p, err)
		return nil, &problem
	}
	defer f.Close()
	data, err := repofs.ReadCapped(f, l.opts.MaxFileSize)
	if errors.Is(err, repofs.ErrTooLarge) {
		problem := tooLarge(p, l.opts.MaxFileSize)
		return nil, &problem
	}
	if err != nil {
		problem := readError(p, err)
		return nil, &problem
	}
	return data, nil
}

// parse parses file p and checks its documents (Options.Check). With keep
// set, each document keeps its node tree rather than parsing it again
// from data when a position is wanted.
func (l *loader) parse(p string, data []byte, keep bool) fileResult {
	res := parseFile(p, data, l.opts.MaxFileSize, l.opts.AliasBudget, keep)
	if l.opts.Check != nil && len(res.docs) > 0 {
		res.checked = make([][]source.Finding, len(res.docs))
		for i, d := range res.docs {
			if d.Kind != model.KindProject {
				res.checked[i] = l.opts.Check(d)
			}
		}
	}
	return res
}

// readError is the finding of a file that could not be read.
func readError(p string, err error) source.Finding {
	msg, ok := repofs.Problem(err)
	if !ok {
		msg = fmt.Sprintf("cannot read: %v", err)
	}
	return source.Finding{Rule: source.RuleLoad, Severity: source.Deny, File: p, Message: msg}
}

func isProblem(err error) bool {
	_, ok := repofs.Problem(err)
	return ok
}

// checkDuplicates reports a second document with the same kind and name,
// naming where the first one is.
func (l *loader) checkDuplicates() {
	names := newNameCheck(len(l.bundle.Docs) + len(l.shallow))
	for _, s := range l.shallow {
		names.known(s)
	}
	kept := l.bundle.Docs[:0]
	checked := l.checked[:0]
	for i, d := range l.bundle.Docs {
		// Positions inside a parsed document are only looked up for a
		// duplicate, so the node trees stay unparsed in the common case.
		if f, dup := names.check(d.Key(), first{order: d.Start(), doc: d}, func() source.Pos { return d.PosOf("metadata.name") }); dup {
			l.add(f)
			continue
		}
		kept = append(kept, d)
		checked = append(checked, l.checked[i])
	}
	l.bundle.Docs = kept
	l.checked = checked
}

// nameCheck finds documents whose kind and name an earlier one has.
type nameCheck map[model.Key]first

// first is the earliest document of a key, by file and line: a parsed one
// (doc set) or one known by its name's position (namePos).
type first struct {
	order   source.Pos
	doc     *model.Document
	namePos source.Pos
}

func newNameCheck(n int) nameCheck { return make(nameCheck, n) }

// known adds a document read without parsing.
func (c nameCheck) known(s Name) {
	k := model.Key{Kind: s.Kind, Name: s.Name}
	if f, dup := c[k]; !dup || source.Less(s.Pos, f.order) {
		c[k] = first{order: s.Pos, namePos: s.Pos}
	}
}

// check adds a document of key, and returns its finding when it is a
// duplicate; at gives where its name is.
func (c nameCheck) check(key model.Key, doc first, at func() source.Pos) (source.Finding, bool) {
	if key.Name == "" {
		return source.Finding{}, false
	}
	if f, dup := c[key]; dup && source.Less(f.order, doc.order) {
		fp := f.namePos
		if f.doc != nil {
			fp = f.doc.PosOf("metadata.name")
		}
		return source.Finding{
			Rule: source.RuleLoad, Severity: source.Deny,
			Message: fmt.Sprintf("duplicate %s %s: already defined at %s:%d:%d; names are unique per kind", key.Kind, source.Quote(key.Name), fp.File, fp.Line, fp.Column),
			Kind:    string(key.Kind), Name: key.Name, Path: "metadata.name",
		}.At(at()), true
	}
	c[key] = doc
	return source.Finding{}, false
}

// lineCol returns the 1-based line and column of byte offset off in data.
func lineCol(data []byte, off int) (int, int) {
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + len([]rune(string(data[start:off])))
}
