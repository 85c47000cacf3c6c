// Package source holds what every stage of mops reports to users: positions
// in governance files and the findings that point at them.
package source

import (
	"cmp"
	"slices"
)

// Severity says whether a finding blocks (deny) or only informs (warn).
type Severity string

// The two severities a finding can have.
const (
	Deny Severity = "deny"
	Warn Severity = "warn"
)

// Rule ids the engine itself reports; policies report their own dotted ids.
const (
	RuleLoad   = "load"
	RuleSchema = "schema"
)

// Pos is a place in a governance file. Line and Column count from 1; zero
// means unknown (for example a file that could not be read at all).
type Pos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Less orders positions by file, line, then column.
func Less(a, b Pos) bool {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column)) < 0
}

// Finding is one problem reported to the user, in the shape CLI.md fixes
// for `validate --format json`.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Kind     string   `json:"kind,omitempty"`
	Name     string   `json:"name,omitempty"`
	Path     string   `json:"path,omitempty"`
	Waived   bool     `json:"waived"`
	// WaiverReason is set on waived findings: why the finding was accepted.
	WaiverReason string `json:"waiverReason,omitempty"`
}

// At sets the finding's file, line and column from p.
func (f Finding) At(p Pos) Finding {
	f.File, f.Line, f.Column = p.File, p.Line, p.Column
	return f
}

// Pos returns where the finding points.
func (f Finding) Pos() Pos { return Pos{File: f.File, Line: f.Line, Column: f.Column} }

// Blocking reports whether the finding makes `validate` fail: a deny that
// no waiver covers.
func (f Finding) Blocking() bool { return f.Severity == Deny && !f.Waived }

// Sort orders findings by file, line, column, then rule and message, so that
// every output format is deterministic.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Summary counts what a validation saw and found.
type Summary struct {
	Files     int `json:"files"`
	Documents int `json:"documents"`
	Deny      int `json:"deny"`
	Warn      int `json:"warn"`
	Waived    int `json:"waived"`
}

// Count fills the deny, warn and waived counters from fs.
func (s *Summary) Count(fs []Finding) {
	s.Deny, s.Warn, s.Waived = 0, 0, 0
	for _, f := range fs {
		switch {
		case f.Waived:
			s.Waived++
		case f.Severity == Deny:
			s.Deny++
		default:
			s.Warn++
		}
	}
}

// Report is the outcome of a validation: every finding, the counts, and the
// source text of the files read (to show the offending lines).
type Report struct {
	Findings []Finding         `json:"findings"`
	Summary  Summary           `json:"summary"`
	Sources  map[string][]byte `json:"-"`
}

// ExitCode maps the report to the CLI contract: 1 when any finding blocks,
// else 0.
func (r *Report) ExitCode() int {
	for _, f := range r.Findings {
		if f.Blocking() {
			return 1
		}
	}
	return 0
}
