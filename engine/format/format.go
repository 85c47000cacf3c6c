// Package format is the one way a report kind declares its output formats.
// Each kind (validate findings, diff, plan, drift, import, log, policy
// tests) builds a Set from its writers; a command checks the --format it
// was given against that Set before it does any work, and writes its
// report through it. An unknown format is one error, naming the kind and
// listing what it supports.
package format

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// Writer writes a report r of one kind in one format to w.
type Writer[R, O any] func(w io.Writer, r R, opts O) error

// Set is the formats of one report kind. The zero Set knows no format.
type Set[R, O any] struct {
	kind    string
	writers map[string]Writer[R, O]
}

// New declares the formats of a report kind: kind names it in errors
// ("diff", "plan"); writers maps each format name to its writer.
func New[R, O any](kind string, writers map[string]Writer[R, O]) Set[R, O] {
	return Set[R, O]{kind: kind, writers: writers}
}

// Names lists the supported formats, sorted.
func (s Set[R, O]) Names() []string {
	return slices.Sorted(maps.Keys(s.writers))
}

// Check returns an *UnknownError unless name is a supported format.
func (s Set[R, O]) Check(name string) error {
	if _, ok := s.writers[name]; ok {
		return nil
	}
	return &UnknownError{Format: name, Kind: s.kind, Supported: s.Names()}
}

// Write writes r in format name.
func (s Set[R, O]) Write(w io.Writer, name string, r R, opts O) error {
	wr, ok := s.writers[name]
	if !ok {
		return s.Check(name)
	}
	return wr(w, r, opts)
}

// UnknownError is a format the report kind does not support.
type UnknownError struct {
	Format, Kind string
	Supported    []string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unknown format %q for %s; supported: %s", e.Format, e.Kind, strings.Join(e.Supported, ", "))
}
