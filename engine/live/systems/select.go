package systems

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/model"
)

// Selection is the systems a command works on: those it opened and those
// it skipped because they cannot be reached from here.
type Selection struct {
	// Names lists every selected system, open or skipped, in selection
	// order.
	Names []string
	// Open holds the open systems in selection order.
	Open []*Connection
	// Skipped holds the systems left out, in selection order.
	Skipped []*UnreachableError
}

// Select picks the systems of the repository in root that plan, drift,
// import and apply work on, opens them, and skips the ones it cannot reach.
//
//   - With names, exactly those systems ("" is spec.defaultSystem); any
//     that cannot be opened, unreachable ones included, is an error.
//   - Without names, every system the repository's documents bind, in
//     mops.yaml order, or spec.defaultSystem when none is bound. One whose
//     token variable is unset is skipped (Selection.Skipped says which
//     variable); any other failure is an error.
//
// It is an error when no system is left. On error nothing is left open.
func Select(ctx context.Context, root string, b *model.Bundle, names []string, getenv func(string) string, opts ...Option) (*Selection, error) {
	proj, err := b.ProjectSpec()
	if err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	explicit := len(names) > 0
	if !explicit {
		if names = b.BoundSystems(); len(names) == 0 {
			names = []string{proj.DefaultSystem}
		}
	}
	sel := &Selection{}
	for _, name := range names {
		sys, err := lookup(proj, name)
		if err == nil && selected(sel, sys.Name) {
			continue
		}
		var conn *Connection
		if err == nil {
			conn, err = open(ctx, root, sys, getenv, o)
		}
		var ue *UnreachableError
		if !explicit && errors.As(err, &ue) {
			sel.Names = append(sel.Names, sys.Name)
			sel.Skipped = append(sel.Skipped, ue)
			continue
		}
		if err != nil {
			_ = sel.Close()
			return nil, err
		}
		sel.Names = append(sel.Names, sys.Name)
		sel.Open = append(sel.Open, conn)
	}
	if len(sel.Open) == 0 {
		return nil, fmt.Errorf("no system can be reached: %w", sel.Skipped[0])
	}
	return sel, nil
}

// selected reports whether the system called name is already selected.
func selected(sel *Selection, name string) bool {
	return slices.Contains(sel.Names, name)
}

// Providers maps each open system's name to its provider.
func (s *Selection) Providers() map[string]live.Provider {
	out := make(map[string]live.Provider, len(s.Open))
	for _, c := range s.Open {
		out[c.System.Name] = c.Provider
	}
	return out
}

// Close closes every open system and returns the first error.
func (s *Selection) Close() error {
	var first error
	for _, c := range s.Open {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
