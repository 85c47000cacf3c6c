package load

import (
	"io/fs"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

// Campaigns are most of a large repository, and checking one needs the
// other documents, not the other campaigns. LoadSplit loads every document
// but the campaigns, recognising a file of campaigns by its lines (see
// campaignsOnly) without parsing or keeping it; the caller
// then takes the campaign files one at a time (Split.Read), checks their
// documents and drops them, and checks their names for duplicates
// (Duplicates). Memory then grows with the other documents and the
// findings, not with the campaigns.

// readAhead bounds the bytes of campaign files LoadSplit keeps from its
// reading for Split.Read, which would otherwise read them again (about
// 25,000 generated campaigns). Every kept file is dropped as its turn
// comes (Split.Drop). Measured at 100,000 campaigns, 2 cores, two rounds:
// 16 MiB took 26.8-27.1 s of CPU and 284 MB of RSS, nothing kept 28.1-29.1
// s and 334-358 MB, 64 MiB 28.7-29.4 s and 370-410 MB: what is kept is
// live heap the collector must work around.
const readAhead = 16 << 20

// Split is a repository loaded without its campaigns.
type Split struct {
	// Bundle holds every document but the campaigns; Files counts every
	// file read, campaign files included.
	Bundle *model.Bundle
	// Findings are loading's and Options.Check's, of the bundle's
	// documents and of the files that could not be read or parsed.
	Findings []source.Finding
	// Campaigns lists the files that hold campaigns, in file order.
	Campaigns []CampaignFile

	l *loader
}

// CampaignFile is a file that holds campaigns.
type CampaignFile struct {
	// Path is the file's slash path relative to the root.
	Path string
	// Docs, when set, are its campaigns, parsed already: the file holds
	// other documents too, or is not simple enough to recognise without
	// parsing. Checked holds Options.Check's findings of Docs[i] at i.
	Docs    []*model.Document
	Checked [][]source.Finding

	// data is the file's content as LoadSplit read it, if it kept it.
	data []byte
}

// LoadSplit reads the repository in fsys as Load does, but leaves its
// campaigns out of the bundle and out of the duplicate check.
func LoadSplit(fsys fs.FS, opts Options) (*Split, error) {
	l := &loader{fsys: fsys, opts: opts, bundle: &model.Bundle{Sources: map[string][]byte{}}, split: true}
	if err := l.load(); err != nil {
		return nil, err
	}
	return &Split{Bundle: l.bundle, Findings: l.findings, Campaigns: l.campaigns, l: l}, nil
}

// Campaigns is what reading a campaign file gave.
type Campaigns struct {
	// Data is the file's content (nil when it could not be read).
	Data []byte
	// Docs are the file's documents: campaigns, unless the file was
	// misjudged or changed since it was first read (the caller then loads
	// the repository whole). Each keeps its node tree.
	Docs []*model.Document
	// Checked holds Options.Check's findings of Docs[i] at i, when check
	// was set.
	Checked [][]source.Finding
	// Findings are the file's own: it could not be read or parsed.
	Findings []source.Finding
}

// Read returns the documents of campaign file Campaigns[i], parsing it
// unless LoadSplit did, and with check set runs Options.Check on each. It
// may be called from several goroutines.
func (s *Split) Read(i int, check bool) Campaigns {
	f := s.Campaigns[i]
	if f.Docs != nil {
		return Campaigns{Data: s.Bundle.Sources[f.Path], Docs: f.Docs, Checked: f.Checked}
	}
	data := f.data
	if data == nil {
		var problem *source.Finding
		if data, problem = s.l.read(f.Path); problem != nil {
			return Campaigns{Findings: []source.Finding{*problem}}
		}
	}
	var res fileResult
	if check {
		res = s.l.parse(f.Path, data, true)
	} else {
		res = parseFile(f.Path, data, s.l.opts.MaxFileSize, s.l.opts.AliasBudget, true)
	}
	return Campaigns{Data: res.data, Docs: res.docs, Checked: res.checked, Findings: res.findings}
}

// Content returns the content of campaign file Campaigns[i], read again
// if need be; nil when it cannot be read.
func (s *Split) Content(i int) []byte {
	f := s.Campaigns[i]
	if data, ok := s.Bundle.Sources[f.Path]; ok {
		return data
	}
	if f.data != nil {
		return f.data
	}
	data, _ := s.l.read(f.Path)
	return data
}

// Drop lets go of what the split holds of campaign file Campaigns[i]: its
// content and documents. It may be called from several goroutines, for
// different files.
func (s *Split) Drop(i int) {
	s.Campaigns[i].data, s.Campaigns[i].Docs, s.Campaigns[i].Checked = nil, nil, nil
}

// Named is a document as the duplicate check sees it.
type Named struct {
	Key model.Key
	// Start is where the document begins; NamePos where its
	// metadata.name is.
	Start, NamePos source.Pos
}

// Duplicates checks documents loaded apart from a bundle (the campaigns
// of a Split, given in file order) for a kind and name used twice, as
// loading checks a bundle's. It returns the finding of each duplicate by
// its index in docs: such a document is dropped, and its other findings
// with it.
func Duplicates(docs []Named) map[int]source.Finding {
	out := map[int]source.Finding{}
	names := newNameCheck(len(docs))
	for i, d := range docs {
		if f, dup := names.check(d.Key, first{order: d.Start, namePos: d.NamePos}, func() source.Pos { return d.NamePos }); dup {
			out[i] = f
		}
	}
	return out
}
