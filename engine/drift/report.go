// Package drift finds what live has that the repository does not. It plans
// each system exactly as mops plan does (reconcile), then words every
// change and problem from live's side, and compares the live properties one
// document binds with one another (parity). No drift means mops plan shows
// no changes. Drift writes nothing, to live or anywhere.
package drift

import (
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
)

// Report is the result of a drift check; its JSON form is stable
// (docs/cli.md).
type Report struct {
	// Drift is true when any checked system differs from the repository
	// or the bound properties differ from one another.
	Drift     bool      `json:"drift"`
	CheckedAt time.Time `json:"checkedAt"`
	Commit    string    `json:"commit,omitempty"`
	Dirty     bool      `json:"dirty,omitempty"`
	// AllSystems is true when every bound system was selected (no
	// --system narrowed the check).
	AllSystems bool     `json:"allSystems"`
	Systems    []System `json:"systems"`
	// Parity lists values that differ between the live properties one
	// document binds, among those read.
	Parity []ParityItem `json:"parity"`
}

// Failed reports whether a system could not be read or a binding could
// not be compared: the check is incomplete, whatever it found.
func (r *Report) Failed() bool {
	for _, s := range r.Systems {
		if s.Status == StatusFailed || len(s.Errors) > 0 {
			return true
		}
	}
	return false
}

// Status of one system in a report.
const (
	StatusChecked = "checked"
	StatusSkipped = "skipped"
	StatusFailed  = "failed"
)

// System is what drift found in one system.
type System struct {
	System string `json:"system"`
	// Status is checked, skipped (cannot be reached from here) or failed
	// (could not be read).
	Status string `json:"status"`
	// Reason says why a system was skipped or failed.
	Reason string `json:"reason,omitempty"`
	Items  []Item `json:"items"`
	// Errors are repository problems that keep a binding from being
	// compared (a property bound twice, an object type live lacks).
	Errors []string `json:"errors"`
}

// Kinds of items (stable; the json format carries them).
const (
	PropertyMissing     = "property-missing"          // live lacks a bound property
	OptionMissing       = "option-missing"            // live lacks a declared value
	OptionUndeclared    = "option-undeclared"         // live has a value the repository does not declare
	OptionLabel         = "option-label"              // labels differ
	OptionDescription   = "option-description"        // descriptions differ
	OptionHidden        = "option-hidden"             // live hides a value the repository declares active
	OptionOrder         = "option-order"              // display order differs
	DeprecatedActive    = "deprecated-active"         // live still offers a deprecated value
	DeprecatedHeld      = "deprecated-held"           // records still hold a deprecated value
	SubscriptionMissing = "subscription-type-missing" // a consent policy names a subscription type live lacks
	ReadOnly            = "read-only"                 // live differs but its options cannot be changed through the API
	Blocked             = "blocked"                   // another difference plan cannot resolve
)

// Item is one difference between live and the repository, worded from
// live's side.
type Item struct {
	Kind   string       `json:"kind"`
	Target live.Binding `json:"target"`
	// Value is the option concerned; empty for property-level items.
	Value string `json:"value,omitempty"`
	// Live and Repository are the differing texts (labels, descriptions).
	Live       string `json:"live,omitempty"`
	Repository string `json:"repository,omitempty"`
	// LiveOrder and RepositoryOrder are the values in display order, for
	// option-order.
	LiveOrder       []string `json:"liveOrder,omitempty"`
	RepositoryOrder []string `json:"repositoryOrder,omitempty"`
	// Records is how many records hold Value, where it matters.
	Records int    `json:"records"`
	Message string `json:"message"`
	// PlanStep is the seq of the mops plan change that would restore the
	// repository's state; 0 when plan cannot do it.
	PlanStep int         `json:"planStep,omitempty"`
	Source   plan.Source `json:"source"`
}

// ParityItem is a value that differs between live properties bound by the
// same document.
type ParityItem struct {
	// Kind is presence (active in some, hidden or absent in others) or
	// label.
	Kind     string      `json:"kind"`
	Document plan.Source `json:"document"`
	Value    string      `json:"value"`
	// Bindings maps each binding compared (system:object.property) to its
	// state (active, hidden, absent) or its label.
	Bindings map[string]string `json:"bindings"`
	Message  string            `json:"message"`
}
