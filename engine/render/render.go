// Package render writes validation reports in every format the CLI offers.
// Each format is a function from a report to an io.Writer; text is for
// people, every other format is stable and documented in docs/formats.md.
package render

import (
	"io"

	"github.com/mops-dev/mops/engine/format"
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
type Writer = format.Writer[*source.Report, Options]

// FormatSet is the formats of the validate report.
func FormatSet() format.Set[*source.Report, Options] {
	return format.New("validate", map[string]Writer{
		string(Text):     WriteText,
		string(JSON):     WriteJSON,
		string(GitHub):   WriteGitHub,
		string(SARIF):    WriteSARIF,
		string(JUnit):    WriteJUnit,
		string(Markdown): WriteMarkdown,
	})
}

// Formats lists the supported validate formats, for flag help.
func Formats() []string { return FormatSet().Names() }

// Write renders r in format f.
func Write(w io.Writer, f Format, r *source.Report, opts Options) error {
	return FormatSet().Write(w, string(f), r, opts)
}
