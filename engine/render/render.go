// Package render writes validation reports in every format the CLI offers.
// Each format is a function from a report to an io.Writer; text is for
// people, every other format is stable and documented in docs/formats.md.
package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/source"
)

// Format names an output format of `mops validate`.
type Format string

// The formats of `mops validate`.
const (
	Text     Format = "text"
	JSON     Format = "json"
	GitHub   Format = "github"
	SARIF    Format = "sarif"
	JUnit    Format = "junit"
	Markdown Format = "markdown"
)

// Options carry what some formats need beyond the report.
type Options struct {
	// Color enables ANSI colour in text output.
	Color bool
	// Version is the mops version, recorded by SARIF.
	Version string
	// Rules describes rule ids (for SARIF rule metadata and docs links).
	Rules map[string]string
	// PathPrefix is the governance repository's folder relative to the git
	// root, in slash form (for example "examples/acme"); empty when the
	// repository is the git root. Findings carry paths relative to the
	// governance repository; github, sarif, junit and markdown prepend
	// PathPrefix so that annotations and links land on the right file of a
	// pull request. text and json keep repository-relative paths (json is
	// the CLI.md contract).
	PathPrefix string
}

// Writer renders a report in one format.
type Writer func(w io.Writer, r *source.Report, opts Options) error

// writers returns the registry of formats.
func writers() map[Format]Writer {
	return map[Format]Writer{
		Text:     WriteText,
		JSON:     WriteJSON,
		GitHub:   WriteGitHub,
		SARIF:    WriteSARIF,
		JUnit:    WriteJUnit,
		Markdown: WriteMarkdown,
	}
}

// Formats lists the supported validate formats, for flag help.
func Formats() []string {
	var out []string
	for f := range writers() {
		out = append(out, string(f))
	}
	slices.Sort(out)
	return out
}

// Write renders r in format f.
func Write(w io.Writer, f Format, r *source.Report, opts Options) error {
	wr, ok := writers()[f]
	if !ok {
		return fmt.Errorf("unknown format %q; supported: %s", f, strings.Join(Formats(), ", "))
	}
	return wr(w, r, opts)
}
