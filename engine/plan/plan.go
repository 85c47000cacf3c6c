// Package plan holds the data of a mops plan: the ordered changes that make
// a live system match the repository, what the plan was made from, and its
// own hash. It is data only; package reconcile computes plans and package
// apply carries them out.
package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/live"
)

// FormatVersion is the plan file format this mops writes and reads.
// Version 2 plans several systems at once (systems, not system); version 3
// carries the plan's id.
const FormatVersion = 3

// Action is what a change does. Its value is what plan files and the JSON
// output carry; Symbol is what people see.
type Action string

// The actions of CLI.md.
const (
	// Create adds an option the live property lacks, or with Value empty
	// the bound property itself (with Options).
	Create Action = "create"
	// Update changes an existing option: relabel, new description, unhide;
	// with Value empty it reorders the property's options (Order).
	Update Action = "update"
	// Hide retires a deprecated option once no record holds it.
	Hide Action = "hide"
	// MigrateRecords moves every record holding From to To.
	MigrateRecords Action = "migrate-records"
	// Remove deletes an option the repository does not declare; planned only
	// when no record holds it.
	Remove Action = "remove"
)

// Symbol is the one-character marker of the action in text output.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Hide:
		return "-"
	case MigrateRecords:
		return ">"
	case Remove:
		return "-"
	}
	return "?"
}

// Rank orders actions for execution: an option must exist before records
// move to it, and records must move before their old value is hidden.
func (a Action) Rank() int {
	switch a {
	case Create:
		return 0
	case Update:
		return 1
	case MigrateRecords:
		return 2
	case Hide:
		return 3
	case Remove:
		return 4
	}
	return 5
}

// Source names the document that asks for a change.
type Source struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// Change is one step of a plan.
//
//	Action           Value        Before          After           From/To        Order   Records
//	create (option)  the option   nil             desired option  -              -       0
//	create (prop.)   ""           nil             nil             -              -       0 (Options set)
//	update (option)  the option   live option     desired option  -              -       0
//	update (order)   ""           nil             nil             -              before/after value order
//	migrate-records  -            nil             nil             values         -       records holding From
//	hide             the option   live option     hidden option   -              -       records still holding it (0)
//	remove           the option   live option     nil             -              -       0
type Change struct {
	// Seq numbers changes from 1 in execution order.
	Seq    int          `json:"seq"`
	Action Action       `json:"action"`
	Target live.Binding `json:"target"`
	// Value is the option concerned; empty for property-level changes.
	Value  string       `json:"value,omitempty"`
	Before *live.Option `json:"before,omitempty"`
	After  *live.Option `json:"after,omitempty"`
	// Label and Options describe a property to create: its label and full
	// option list.
	Label   string        `json:"label,omitempty"`
	Options []live.Option `json:"options,omitempty"`
	// OrderBefore and OrderAfter are the option values in display order,
	// for a reorder.
	OrderBefore []string `json:"orderBefore,omitempty"`
	OrderAfter  []string `json:"orderAfter,omitempty"`
	From        string   `json:"from,omitempty"`
	To          string   `json:"to,omitempty"`
	// IncludeKept, on a migration, moves the records the system keeps
	// from migrations by default too (Salesforce: converted Leads); plan
	// sets it only where the integration user may.
	IncludeKept bool `json:"includeKept,omitempty"`
	// Records is how many records the change affects (impact).
	Records int `json:"records"`
	// Destructive changes touch records or remove values; they need
	// spec.approvals.destructiveMinApprovers approvers.
	Destructive bool `json:"destructive"`
	// Summary is the change in one sentence, for people.
	Summary string `json:"summary"`
	Source  Source `json:"source"`
}

// Severity of a plan problem.
type Severity string

// Problem severities: an error makes plan fail (exit 1) and the plan
// unappliable; a warning is shown.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Problem is something plan cannot do or wants a person to see: a removal
// refused because records hold the value, read-only options, a missing
// subscription type.
type Problem struct {
	Severity Severity     `json:"severity"`
	Target   live.Binding `json:"target"`
	Message  string       `json:"message"`
	Source   Source       `json:"source"`
}

// Plan is a saved plan: what it was made from, what it will do, and its
// hash over all of that.
type Plan struct {
	FormatVersion int `json:"formatVersion"`
	// ID names the plan by what it does: see ComputeID.
	ID          string    `json:"id"`
	MopsVersion string    `json:"mopsVersion"`
	CreatedAt   time.Time `json:"createdAt"`
	// Systems are the Project systems the plan read and changes, sorted;
	// each change names its own in Target.System.
	Systems []string `json:"systems"`
	// Commit is the git commit of the repository (empty outside git);
	// Dirty says the working tree had uncommitted changes.
	Commit string `json:"commit"`
	Dirty  bool   `json:"dirty"`
	// DesiredHash hashes the governed documents the plan was made from.
	DesiredHash string `json:"desiredHash"`
	// Fingerprints maps each binding (live.Binding.String) to the
	// fingerprint of the live property read, or "absent".
	Fingerprints map[string]string `json:"fingerprints"`
	Changes      []Change          `json:"changes"`
	Problems     []Problem         `json:"problems"`
	// Hash is sha256 over the canonical JSON of the plan with Hash empty.
	Hash string `json:"hash"`
}

// Absent is the fingerprint of a bound property that does not exist.
const Absent = "absent"

// SystemList names the plan's systems for people: "sandbox" or
// "sandbox, salesforce-sandbox".
func (p *Plan) SystemList() string { return strings.Join(p.Systems, ", ") }

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// HasErrors reports whether the plan has a problem of severity error.
func (p *Plan) HasErrors() bool {
	for _, pr := range p.Problems {
		if pr.Severity == Error {
			return true
		}
	}
	return false
}

// Destructive counts destructive changes.
func (p *Plan) Destructive() int {
	n := 0
	for _, c := range p.Changes {
		if c.Destructive {
			n++
		}
	}
	return n
}

// IDLength is the number of hexadecimal digits of a plan id.
const IDLength = 12

// ComputeID returns the id the plan should carry: the first IDLength hex
// digits of a SHA-256 over what the plan does and what it was made from
// (format version, systems, desired hash, live fingerprints and the
// changes), leaving out when, by which mops and at which commit it was
// made. Two plans with the same id make the same changes, step for step,
// from the same documents and the same live state: a plan made again from
// unchanged documents and live has the id of the plan a reviewer approved.
func (p *Plan) ComputeID() (string, error) {
	data, err := json.Marshal(struct {
		FormatVersion int               `json:"formatVersion"`
		Systems       []string          `json:"systems"`
		DesiredHash   string            `json:"desiredHash"`
		Fingerprints  map[string]string `json:"fingerprints"`
		Changes       []Change          `json:"changes"`
	}{p.FormatVersion, p.Systems, p.DesiredHash, p.Fingerprints, p.Changes})
	if err != nil {
		return "", fmt.Errorf("plan id: %w", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:IDLength], nil
}

// ComputeHash returns the hash the plan should carry.
func (p *Plan) ComputeHash() (string, error) {
	c := *p
	c.Hash = ""
	data, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("hash plan: %w", err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Seal fills in the id and the hash.
func (p *Plan) Seal() error {
	id, err := p.ComputeID()
	if err != nil {
		return err
	}
	p.ID = id
	h, err := p.ComputeHash()
	if err != nil {
		return err
	}
	p.Hash = h
	return nil
}
