package validate

import (
	"context"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
)

// Baseline is the repository at the base revision, as much as a
// changed-only run needs of it.
type Baseline interface {
	// Same reports whether file held exactly data at the base revision.
	Same(file string, data []byte) bool
	// Files lists every file at the base revision.
	Files() []string
	// Names returns the document names of file when the baseline knows,
	// without reading the file, that it is unchanged since the base and
	// what it declares (from the git index and a names cache); ok false
	// means the file must be read.
	Names(file string, d fs.DirEntry) (names []load.Name, ok bool)
	// Scanned receives the names read from file, unchanged since the base,
	// so that Names can answer for it next time.
	Scanned(file string, data []byte, names []load.Name)
}

// RunChanged validates only what changed since base and what depends on
// it, and reports exactly the findings a full run reports for those
// documents.
//
// Change detection rides on loading: each file is compared with the base
// as it is read, so the working tree is walked and read once; a campaign
// file the git index shows unchanged, whose names the baseline remembers,
// is not read at all. Every non-campaign document is loaded (campaigns are
// checked against them); campaigns are parsed only when they changed or
// when something they depend on changed (a taxonomy backing a campaign
// field, a naming convention for campaigns, a campaign-lead-time SLA, a
// consent policy, RACI, the Project). Unchanged campaigns are read
// shallowly, by name, so duplicate names are still caught.
//
// When a change touches what every campaign is checked against, the run
// checks everything: it is Stream.
func RunChanged(ctx context.Context, fsys fs.FS, v *schema.Validator, opts Options, base Baseline) (*source.Report, error) {
	var (
		mu      sync.Mutex
		changed = map[string]bool{}
		seen    = map[string]bool{}
	)
	shallow := opts
	shallow.Load.Shallow = func(file string, data []byte) bool {
		if base.Same(file, data) {
			return true
		}
		mu.Lock()
		changed[file] = true
		mu.Unlock()
		return false
	}
	shallow.Load.Skip = base.Names
	shallow.Load.Scanned = base.Scanned
	shallow.Load.Visit = func(file string) { seen[file] = true }
	b, findings, err := loadBundle(fsys, v, shallow)
	if err != nil {
		return nil, err
	}
	// A file loading could not read (a link leaving the repository, a
	// FIFO, a file over the size limit) was never compared with the base:
	// the full run reports it, so this one must too.
	for _, f := range findings {
		if _, read := b.Sources[f.File]; !read && f.File != "" && f.Rule == source.RuleLoad {
			changed[f.File] = true
		}
	}
	// The files loading does not compare: the Project file and policies.
	for file := range seen {
		if file != load.ProjectFile && !strings.HasSuffix(file, ".rego") {
			continue
		}
		data, ok := b.Sources[file]
		if !ok {
			if data, err = fs.ReadFile(fsys, file); err != nil {
				changed[file] = true // the full run reports it
				continue
			}
		}
		if !base.Same(file, data) {
			changed[file] = true
		}
	}
	deleted := false
	for _, file := range base.Files() {
		if !seen[file] && !hidden(file) {
			deleted = true
		}
	}
	if campaignsDepend(b, changed) || deleted || policyChanged(changed) {
		// Every campaign is checked again, and so is every governance
		// document (they depend on each other): a full run.
		return Stream(ctx, fsys, v, opts)
	}
	affected := affectedFiles(b, changed)
	shallow.Report = func(file string) bool {
		return affected[file] && (opts.Report == nil || opts.Report(file))
	}
	r, _, err := check(ctx, b, findings, shallow)
	return r, err
}

// hidden reports whether file is inside a hidden folder, which loading
// never reads (.github, .mops, ...).
func hidden(file string) bool {
	for _, seg := range strings.Split(path.Dir(file), "/") {
		if strings.HasPrefix(seg, ".") && seg != "." {
			return true
		}
	}
	return false
}

// policyChanged reports whether a policy file changed: any document may
// be judged differently, so everything is checked again.
func policyChanged(files map[string]bool) bool {
	for f := range files {
		if strings.HasSuffix(f, ".rego") {
			return true
		}
	}
	return false
}

// campaignsDepend reports whether a changed document is one that campaigns
// are checked against, so every campaign must be checked again.
func campaignsDepend(b *model.Bundle, changed map[string]bool) bool {
	if b.Project != nil && changed[b.Project.File] {
		return true
	}
	refs := taxonomyRefs(b)
	for _, d := range b.Docs {
		if !changed[d.File] {
			continue
		}
		switch d.Kind {
		case model.KindTaxonomy:
			if refs[d.Name] || namingUses(b, d.Name) {
				return true
			}
		case model.KindNamingConvention, model.KindConsentPolicy, model.KindRACI:
			return true
		case model.KindSLA:
			if t, _ := d.Spec()["type"].(string); t == "campaign-lead-time" {
				return true
			}
		}
	}
	return false
}

// affectedFiles lists the files whose findings a changed-only run reports
// when no campaign depends on the change: the changed files, and when a
// governance document changed, every governance document. They are few and
// cross-reference each other in many ways (lifecycle stages name SLAs,
// consent policies name regions and channels, every owner is a RACI role).
func affectedFiles(b *model.Bundle, changed map[string]bool) map[string]bool {
	out := map[string]bool{}
	governance := false
	for f := range changed {
		out[f] = true
	}
	if b.Project != nil && changed[b.Project.File] {
		governance = true
	}
	for _, d := range b.Docs {
		if changed[d.File] && d.Kind != model.KindCampaign {
			governance = true
		}
	}
	for _, d := range b.Docs {
		if d.Kind != model.KindCampaign && governance {
			out[d.File] = true
		}
	}
	if governance && b.Project != nil {
		out[b.Project.File] = true
	}
	return out
}

// taxonomyRefs returns the taxonomies that back campaign fields: the
// Project's spec.taxonomyRefs over the defaults of RESOURCES.md.
func taxonomyRefs(b *model.Bundle) map[string]bool {
	refs := map[string]string{
		"channel": "channel", "region": "region", "campaignType": "campaign-type",
		"leadSource": "lead-source", "utmMedium": "utm-medium", "utmSource": "utm-source",
	}
	if proj, err := b.ProjectSpec(); err == nil {
		for k, v := range proj.TaxonomyRefs {
			refs[k] = v
		}
	}
	out := map[string]bool{}
	for _, v := range refs {
		out[v] = true
	}
	return out
}

// namingUses reports whether a naming convention for campaigns has a token
// backed by taxonomy name.
func namingUses(b *model.Bundle, name string) bool {
	for _, d := range b.ByKind(model.KindNamingConvention) {
		tokens, _ := d.Spec()["tokens"].(map[string]any)
		for _, t := range tokens {
			if tm, ok := t.(map[string]any); ok && tm["taxonomy"] == name {
				return true
			}
		}
	}
	return false
}
