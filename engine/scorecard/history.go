package scorecard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/policy"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
)

// version is one committed version of a campaign, or its removal: what a
// commit did to it, all the scorecard needs to remember of the commit.
type version struct {
	Name    string `json:"name"`
	File    string `json:"file"`
	Intake  string `json:"intake,omitempty"`
	Launch  string `json:"launch,omitempty"`
	End     string `json:"end,omitempty"`
	Removed bool   `json:"removed,omitempty"`
	// Checked is set when the version was validated against the
	// repository as it was at the commit; Denies then counts its deny
	// findings and Rules names their rules.
	Checked bool     `json:"checked,omitempty"`
	Denies  int      `json:"denies,omitempty"`
	Rules   []string `json:"rules,omitempty"`
}

// slaDef is an SLA as the repository declared it.
type slaDef struct {
	Name     string   `json:"name"`
	File     string   `json:"file"`
	Type     string   `json:"type"`
	Target   string   `json:"target"`
	Holidays []string `json:"holidays,omitempty"`
}

// commitFacts is what one commit did to the campaigns and SLAs: the unit
// the cache stores, keyed by commit hash.
type commitFacts struct {
	Hash     string    `json:"hash"`
	When     time.Time `json:"when"`
	Versions []version `json:"versions,omitempty"`
	// SLAChanged is set when the commit changed the governance documents;
	// SLAs are then the repository's SLAs from this commit on.
	SLAChanged bool     `json:"slaChanged,omitempty"`
	SLAs       []slaDef `json:"slas,omitempty"`
}

// walker turns commits into facts, one after the other along a
// first-parent history. It keeps what it loaded of the repository between
// commits: the governance documents and policy engine are loaded again
// only when a commit changes them, and each commit reads only the files it
// changed.
type walker struct {
	repo   *gitrepo.Repo
	schema *schema.Validator
	// gov holds the governance files (any YAML file holding a document
	// other than a Campaign), and govDocs their documents.
	gov     map[string]bool
	govB    *model.Bundle
	project model.Project
	engine  *policy.Engine
	// digests maps each campaign to a digest of its last version, where
	// to its file, and files each campaign file to the campaigns it holds.
	digests map[string]string
	where   map[string]string
	files   map[string][]string
}

func newWalker(repo *gitrepo.Repo, v *schema.Validator) *walker {
	return &walker{repo: repo, schema: v, gov: map[string]bool{}, digests: map[string]string{}, where: map[string]string{}, files: map[string][]string{}}
}

// start loads the repository as it was at commit hash in full: the state
// the next commit's changes apply to. A walk that begins at the root
// commit needs no start.
func (w *walker) start(ctx context.Context, hash string) error {
	fsys, _, err := w.repo.FS(hash)
	if err != nil {
		return err
	}
	b, _, err := load.Load(fsys, load.Options{})
	if err != nil {
		return fmt.Errorf("load %s: %w", short(hash), err)
	}
	for _, d := range b.Docs {
		if d.Kind != model.KindCampaign {
			w.gov[d.File] = true
		}
	}
	for _, d := range b.Docs {
		if d.Kind == model.KindCampaign && !w.gov[d.File] && d.Name != "" {
			w.digests[d.Name], w.where[d.Name] = digest(d), d.File
			w.files[d.File] = append(w.files[d.File], d.Name)
		}
	}
	_, err = w.reloadGovernance(ctx, fsys, true)
	return err
}

// step computes the facts of commit c, whose parent the walker stands on.
// needs tells which campaigns to validate: new ones and those that have
// not yet passed.
func (w *walker) step(ctx context.Context, c *gitrepo.Commit, needs func(name string) bool) (commitFacts, error) {
	facts := commitFacts{Hash: c.Hash, When: c.When}
	changes, err := w.repo.CommitChanges(c.Hash)
	if err != nil {
		return facts, err
	}
	if len(changes) == 0 {
		return facts, nil
	}
	fsys, _, err := w.repo.FS(c.Hash)
	if err != nil {
		return facts, err
	}
	var (
		read          []string // changed governed files that exist at c
		removed       []string // governed files c deleted
		policyChanged bool
	)
	for _, ch := range changes {
		switch {
		case ch.Path == load.ProjectFile || strings.HasSuffix(ch.Path, ".rego"):
			policyChanged = true
		case !w.governed(ch.Path):
		case ch.To.IsZero():
			removed = append(removed, ch.Path)
		default:
			read = append(read, ch.Path)
		}
	}
	b, _, err := load.Load(fsys, load.Options{Files: read})
	if err != nil {
		return facts, fmt.Errorf("load %s: %w", short(c.Hash), err)
	}
	byFile := map[string][]*model.Document{}
	for _, d := range b.Docs {
		byFile[d.File] = append(byFile[d.File], d)
	}
	govChanged := policyChanged
	// A campaign that left one file and is in another changed one moved.
	present := map[string]bool{}
	for _, d := range b.Docs {
		if d.Kind == model.KindCampaign {
			present[d.Name] = true
		}
	}
	var campaigns []*model.Document
	for _, f := range append(read, removed...) {
		docs := byFile[f]
		isGov := slices.ContainsFunc(docs, func(d *model.Document) bool { return d.Kind != model.KindCampaign })
		if isGov || w.gov[f] {
			govChanged = true
		}
		w.gov[f] = isGov
		var names []string
		for _, d := range docs {
			if d.Kind == model.KindCampaign && d.Name != "" && !isGov {
				names = append(names, d.Name)
				campaigns = append(campaigns, d)
			}
		}
		for _, gone := range w.files[f] {
			if !present[gone] && w.digests[gone] != "" {
				facts.Versions = append(facts.Versions, version{Name: gone, File: f, Removed: true})
				delete(w.digests, gone)
				delete(w.where, gone)
			}
		}
		w.files[f] = names
	}
	if govChanged {
		if facts.SLAs, err = w.reloadGovernance(ctx, fsys, policyChanged || w.engine == nil); err != nil {
			return facts, err
		}
		facts.SLAChanged = true
	}
	var check []*model.Document
	at := len(facts.Versions)
	for _, d := range campaigns {
		sum := digest(d)
		if w.digests[d.Name] == sum && w.where[d.Name] == d.File {
			continue
		}
		w.digests[d.Name], w.where[d.Name] = sum, d.File
		spec := d.Spec()
		facts.Versions = append(facts.Versions, version{
			Name: d.Name, File: d.File,
			Intake: date(spec["intakeDate"]), Launch: date(spec["launchDate"]), End: date(spec["endDate"]),
		})
		if needs(d.Name) {
			check = append(check, d)
		}
	}
	if len(check) > 0 {
		results, err := w.validate(ctx, c.When, check)
		if err != nil {
			return facts, fmt.Errorf("validate campaigns of %s: %w", short(c.Hash), err)
		}
		for i := range facts.Versions[at:] {
			v := &facts.Versions[at+i]
			if r, ok := results[v.Name]; ok {
				v.Checked, v.Denies, v.Rules = true, r.denies, r.rules
			}
		}
	}
	return facts, nil
}

// governed reports whether a file may hold governance documents: a YAML
// file outside hidden folders that mops.yaml's include and exclude admit.
func (w *walker) governed(p string) bool {
	if ext := path.Ext(p); ext != ".yaml" && ext != ".yml" {
		return false
	}
	for _, seg := range strings.Split(path.Dir(p), "/") {
		if strings.HasPrefix(seg, ".") && seg != "." {
			return false
		}
	}
	include := w.project.Include
	if len(include) == 0 {
		include = load.DefaultInclude()
	}
	match := func(patterns []string) bool {
		return slices.ContainsFunc(patterns, func(pat string) bool { ok, _ := doublestar.Match(pat, p); return ok })
	}
	return match(include) && !match(w.project.Exclude)
}

// reloadGovernance loads the governance files at fsys, recompiles the
// policies when asked, and returns the repository's SLAs.
func (w *walker) reloadGovernance(ctx context.Context, fsys fs.FS, compile bool) ([]slaDef, error) {
	var files []string
	for f, ok := range w.gov {
		if ok {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	if files == nil {
		files = []string{}
	}
	b, _, err := load.Load(fsys, load.Options{Files: files})
	if err != nil {
		return nil, fmt.Errorf("load governance documents: %w", err)
	}
	w.govB = b
	w.project, _ = b.ProjectSpec() // a broken Project is the schema's to report
	if compile {
		e, err := policy.New(ctx, policy.Options{RepoPolicies: fsys, RepoPolicyDirs: w.project.Policies})
		if err != nil {
			// A repository policy that does not compile fails every
			// campaign checked until it is fixed, as validate would.
			e = nil
		}
		w.engine = e
	}
	var slas []slaDef
	for _, d := range b.ByKind(model.KindSLA) {
		spec := d.Spec()
		s := slaDef{Name: d.Name, File: d.File, Type: str(spec["type"]), Target: str(spec["target"])}
		if hs, ok := spec["holidays"].([]any); ok {
			for _, h := range hs {
				s.Holidays = append(s.Holidays, date(h))
			}
		}
		slas = append(slas, s)
	}
	return slas, nil
}

// result is one campaign's validation.
type result struct {
	denies int
	rules  []string
}

// validate checks campaigns as validate would have on day: their schema,
// then the policies with the repository's governance documents as the
// index. A policy that does not compile counts as a deny on each.
func (w *walker) validate(ctx context.Context, day time.Time, campaigns []*model.Document) (map[string]result, error) {
	out := map[string]result{}
	add := func(name, rule string) {
		r := out[name]
		r.denies++
		if !slices.Contains(r.rules, rule) {
			r.rules = append(r.rules, rule)
			slices.Sort(r.rules)
		}
		out[name] = r
	}
	target := map[*model.Document]bool{}
	for _, d := range campaigns {
		out[d.Name] = result{}
		target[d] = true
		for _, f := range w.schema.Validate(d) {
			if f.Severity == source.Deny {
				add(d.Name, f.Rule)
			}
		}
	}
	if w.engine == nil {
		for _, d := range campaigns {
			add(d.Name, "policy")
		}
		return out, nil
	}
	b := &model.Bundle{Project: w.govB.Project, Docs: append(slices.Clip(w.govB.Docs), campaigns...)}
	findings, err := w.engine.WithToday(day).EvaluateOnly(ctx, b, func(d *model.Document) bool { return target[d] })
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		// A policy that fails at run time (or loops to the time limit)
		// fails the campaigns it judged, as validate would.
		for _, d := range campaigns {
			add(d.Name, "policy")
		}
		return out, nil
	}
	for _, f := range findings {
		if f.Blocking() && f.Kind == string(model.KindCampaign) {
			add(f.Name, f.Rule)
		}
	}
	return out, nil
}

// digest identifies a campaign's content, so an unchanged campaign in a
// changed file is not a new version.
func digest(d *model.Document) string {
	data, _ := json.Marshal(d.Value) // map keys sorted: a stable digest
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:12])
}

// date reads a YAML date as the loader hands it over (a string
// YYYY-MM-DD, or a time for a timestamp); "" otherwise.
func date(v any) string {
	switch t := v.(type) {
	case string:
		if _, err := time.Parse(dateLayout, t); err == nil {
			return t
		}
	case time.Time:
		return t.UTC().Format(dateLayout)
	}
	return ""
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func short(hash string) string {
	if len(hash) > 7 {
		return hash[:7]
	}
	return hash
}
