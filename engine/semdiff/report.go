// Package semdiff compares two loaded governance repositories and reports
// what changed in terms people review: taxonomy values added, relabelled,
// reordered or deprecated; lifecycle stages and transitions; naming
// templates and tokens; RACI assignments; SLA targets; consent rules
// (always flagged as compliance-relevant, with whether they loosened or
// tightened); and field-level changes of campaigns and everything else.
//
// Documents are paired by kind and name. Diff computes a Report; the
// renderers (text, json, markdown) only draw it.
package semdiff

import "github.com/mops-dev/mops/engine/model"

// Action says whether something was added, changed or removed.
type Action string

// The three actions of a document or a change.
const (
	Added   Action = "added"
	Changed Action = "changed"
	Removed Action = "removed"
)

// Symbol is the marker text output shows for a: + ~ -.
func (a Action) Symbol() string {
	switch a {
	case Added:
		return "+"
	case Removed:
		return "-"
	default:
		return "~"
	}
}

// Direction says whether a compliance-relevant change allows more (loosened)
// or less (tightened). Empty when neither applies.
type Direction string

// The directions of a consent or SLA change.
const (
	Loosened  Direction = "loosened"
	Tightened Direction = "tightened"
)

// Op is the machine-readable kind of a change, such as value.added or
// transition.removed. docs/diff.md lists every op and what its Before and
// After hold.
type Op string

// Change is one semantic difference inside a document.
//
// Before and After hold the old and new value of what the op is about (a
// label, a list of lawful bases, a stage's SLA, a campaign field); nil on
// the side where the thing does not exist. File, Line and Column point
// into the head side, or into the base side for removals.
type Change struct {
	Op     Op     `json:"op"`
	Action Action `json:"action"`
	// Message is the change as a sentence, e.g. "Lead Source: 'Trade Show'
	// deprecated in favour of 'Event'".
	Message string `json:"message"`
	// Subject names the item changed: a taxonomy value, a stage id, a
	// transition "mql->sql", a token, a role or activity id, a channel.
	Subject string `json:"subject,omitempty"`
	// Path is the dotted path of the changed node in its document.
	Path   string `json:"path,omitempty"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
	// Compliance marks changes that legal or privacy owners must review:
	// every ConsentPolicy change and a campaign's audience consent.
	Compliance bool      `json:"compliance,omitempty"`
	Direction  Direction `json:"direction,omitempty"`
	File       string    `json:"file"`
	Line       int       `json:"line"`
	Column     int       `json:"column"`
}

// Document is one document that differs between the two sides.
type Document struct {
	Kind   model.Kind `json:"kind"`
	Name   string     `json:"name"`
	Action Action     `json:"action"`
	// File is where the document is in head (in base when removed).
	File string `json:"file"`
	Line int    `json:"line"`
	// BaseFile is the document's file in base when it moved to another file.
	BaseFile string   `json:"baseFile,omitempty"`
	Changes  []Change `json:"changes"`
	// Lifecycle is the merged stage graph of a LifecycleModel that was
	// added or changed, for diagrams.
	Lifecycle *Graph `json:"lifecycle,omitempty"`
}

// Compliance reports whether any change of the document is
// compliance-relevant.
func (d *Document) Compliance() bool {
	for _, c := range d.Changes {
		if c.Compliance {
			return true
		}
	}
	return false
}

// Graph is a lifecycle model's stages and effective transitions on both
// sides merged, each marked with how it changed.
type Graph struct {
	// Stages are head's stages in order, then the removed ones.
	Stages      []GraphStage      `json:"stages"`
	Transitions []GraphTransition `json:"transitions"`
}

// GraphStage is a stage of a merged lifecycle graph. Status is empty for
// an unchanged stage.
type GraphStage struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Status   Action `json:"status,omitempty"`
	Initial  bool   `json:"initial,omitempty"`
	Terminal bool   `json:"terminal,omitempty"`
}

// GraphTransition is an allowed move between two stages. Status is empty
// for an unchanged transition.
type GraphTransition struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Status Action `json:"status,omitempty"`
}

// Side describes one side of the comparison, for headings.
type Side struct {
	// Ref is the revision as given (main, v1.2, HEAD~1); empty for the
	// working tree.
	Ref string `json:"ref,omitempty"`
	// Commit is the full commit hash; empty for the working tree.
	Commit string `json:"commit,omitempty"`
}

// Title is how output names the side: "main (1a2b3c4)" or "working tree".
func (s Side) Title() string {
	switch {
	case s.Ref == "" && s.Commit == "":
		return "working tree"
	case s.Commit == "":
		return s.Ref
	}
	short := s.Commit[:min(7, len(s.Commit))]
	if s.Ref == "" || s.Ref == s.Commit || s.Ref == short {
		return short
	}
	return s.Ref + " (" + short + ")"
}

// KindCount counts the documents of one kind by action.
type KindCount struct {
	Kind    model.Kind `json:"kind"`
	Added   int        `json:"added"`
	Changed int        `json:"changed"`
	Removed int        `json:"removed"`
}

// Summary counts the report's documents and changes.
type Summary struct {
	Added   int `json:"added"`
	Changed int `json:"changed"`
	Removed int `json:"removed"`
	// Changes counts every change of every document.
	Changes int `json:"changes"`
	// Compliance counts the compliance-relevant changes.
	Compliance int `json:"compliance"`
	// Kinds has one entry per kind with differences, in model.Kinds order.
	Kinds []KindCount `json:"kinds"`
}

// Report is the semantic diff of two repositories.
type Report struct {
	Base      Side       `json:"base"`
	Head      Side       `json:"head"`
	Summary   Summary    `json:"summary"`
	Documents []Document `json:"documents"`
}

// Empty reports whether the two sides have no semantic difference.
func (r *Report) Empty() bool { return len(r.Documents) == 0 }

// ComplianceChanges returns every compliance-relevant change, in report
// order.
func (r *Report) ComplianceChanges() []Change {
	var out []Change
	for _, d := range r.Documents {
		for _, c := range d.Changes {
			if c.Compliance {
				out = append(out, c)
			}
		}
	}
	return out
}

// summarize fills r.Summary from r.Documents.
func (r *Report) summarize() {
	s := Summary{Kinds: []KindCount{}}
	for _, d := range r.Documents {
		if n := len(s.Kinds); n == 0 || s.Kinds[n-1].Kind != d.Kind {
			s.Kinds = append(s.Kinds, KindCount{Kind: d.Kind})
		}
		k := &s.Kinds[len(s.Kinds)-1]
		switch d.Action {
		case Added:
			s.Added++
			k.Added++
		case Removed:
			s.Removed++
			k.Removed++
		default:
			s.Changed++
			k.Changed++
		}
		s.Changes += len(d.Changes)
		for _, c := range d.Changes {
			if c.Compliance {
				s.Compliance++
			}
		}
	}
	r.Summary = s
}
