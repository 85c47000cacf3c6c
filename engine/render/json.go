package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/mops-dev/mops/engine/source"
)

// JSONFormatVersion is the formatVersion of the json format; it changes
// only when a field is removed or changes meaning.
const JSONFormatVersion = 1

// WriteJSON writes the report as CLI.md specifies: {"findings": [...],
// "summary": {...}}, after "formatVersion". findings is an empty list,
// never null, when clean. Values are exact; the characters that could
// forge a terminal or a page when the JSON is printed are written as \u
// escapes (source.JSONSafe).
func WriteJSON(w io.Writer, r *source.Report, _ Options) error {
	out := struct {
		FormatVersion int              `json:"formatVersion"`
		Findings      []source.Finding `json:"findings"`
		Summary       source.Summary   `json:"summary"`
	}{FormatVersion: JSONFormatVersion, Findings: r.Findings, Summary: r.Summary}
	if out.Findings == nil {
		out.Findings = []source.Finding{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	if _, err := w.Write(source.JSONSafe(b.Bytes())); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
