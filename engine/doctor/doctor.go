// Package doctor checks, before anything is planned or applied, that each
// live system of a repository can be reached with the credentials
// mops.yaml names and that they can do what mops will do there: the
// scopes (HubSpot) or permissions and field access (Salesforce) the
// repository's bindings need, and how much of the API allocation is left.
// What each vendor needs is the vendor client's knowledge (live.Checker);
// this package picks the systems, asks each, and renders the answers.
package doctor

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/reconcile"
)

// Request is what Run checks.
type Request struct {
	// Dir is the repository root; Bundle its documents (for bindings and
	// consent policies).
	Dir    string
	Bundle *model.Bundle
	// Systems are the names to check; empty means every system mops.yaml
	// lists, skipping those whose credentials are not set here.
	Systems []string
	Getenv  func(string) string
	// Options configure how systems are opened (their logger).
	Options []systems.Option
}

// Status is the outcome for one system.
type Status string

// The outcomes for a system.
const (
	// Checked: the system answered; its Checks say what is missing.
	Checked Status = "checked"
	// Skipped: its credentials are not set here (only when no system was
	// named).
	Skipped Status = "skipped"
	// Failed: it could not be opened or checked.
	Failed Status = "failed"
)

// SystemReport is what doctor found for one system.
type SystemReport struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Status Status `json:"status"`
	// Reason says why a system was skipped or failed.
	Reason string       `json:"reason,omitempty"`
	Checks []live.Check `json:"checks"`
}

// Problems counts the failed checks, and a failed system as one.
func (s SystemReport) Problems() int {
	n := 0
	if s.Status == Failed {
		n++
	}
	for _, c := range s.Checks {
		if c.Failed() {
			n++
		}
	}
	return n
}

// Report is doctor's answer for every system.
type Report struct {
	Systems []SystemReport `json:"systems"`
}

// Problems counts what must be fixed before mops can work everywhere.
func (r *Report) Problems() int {
	n := 0
	for _, s := range r.Systems {
		n += s.Problems()
	}
	return n
}

// OK reports whether at least one system was checked and nothing is
// missing.
func (r *Report) OK() bool {
	checked := false
	for _, s := range r.Systems {
		checked = checked || s.Status == Checked
	}
	return checked && r.Problems() == 0
}

// Run checks the systems req names, or every system of mops.yaml.
func Run(ctx context.Context, req Request) (*Report, error) {
	proj, err := req.Bundle.ProjectSpec()
	if err != nil {
		return nil, fmt.Errorf("mops.yaml: %w", err)
	}
	names := req.Systems
	explicit := len(names) > 0
	if !explicit {
		for _, s := range proj.Systems {
			names = append(names, s.Name)
		}
		if len(names) == 0 {
			return nil, errors.New("mops.yaml lists no systems (spec.systems)")
		}
	}
	subscriptions := len(reconcile.SubscriptionTypes(req.Bundle)) > 0
	r := &Report{}
	for _, name := range names {
		r.Systems = append(r.Systems, checkSystem(ctx, req, proj, name, explicit, subscriptions))
	}
	return r, nil
}

// checkSystem opens one system and asks it to check itself.
func checkSystem(ctx context.Context, req Request, proj model.Project, name string, explicit, subscriptions bool) SystemReport {
	sr := SystemReport{Name: name, Checks: []live.Check{}}
	if sys, ok := proj.System(name); ok {
		sr.Name, sr.Type = sys.Name, sys.Type
	}
	conn, err := systems.Open(ctx, req.Dir, proj, name, req.Getenv, req.Options...)
	switch {
	case err != nil && !explicit && errors.As(err, new(*systems.UnreachableError)):
		sr.Status, sr.Reason = Skipped, err.Error()
		return sr
	case err != nil:
		sr.Status, sr.Reason = Failed, err.Error()
		return sr
	}
	defer conn.Close()
	checker, ok := conn.Provider.(live.Checker)
	if !ok {
		sr.Status, sr.Reason = Failed, "this kind of system cannot check its credentials"
		return sr
	}
	creq := live.CheckRequest{Bindings: bindings(req.Bundle, sr.Name),
		Subscriptions: subscriptions && conn.Provider.Capabilities().SubscriptionTypes}
	checks, err := checker.Check(ctx, creq)
	if err != nil {
		sr.Status, sr.Reason = Failed, err.Error()
		return sr
	}
	sr.Status, sr.Checks = Checked, checks
	return sr
}

// bindings lists the bindings the documents of b name in system, once
// each, in document order.
func bindings(b *model.Bundle, system string) []live.Binding {
	var out []live.Binding
	seen := map[live.Binding]bool{}
	for _, d := range b.Docs {
		for _, bd := range d.Bindings() {
			lb := live.Binding{System: bd.System, Object: bd.Object, Property: bd.Property}
			if bd.System == system && !seen[lb] {
				seen[lb] = true
				out = append(out, lb)
			}
		}
	}
	return out
}

// label names a system in the text report.
func (s SystemReport) label() string { return cmp.Or(s.Name, "(default system)") }
