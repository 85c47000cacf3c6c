package semdiff

import (
	"encoding/json"
	"io"
)

// JSONFormatVersion is the formatVersion of the json format; it changes
// only when a field is removed or changes meaning.
const JSONFormatVersion = 1

// WriteJSON writes the report as indented JSON, the stable machine format
// documented in docs/diff.md, with its formatVersion first.
func WriteJSON(w io.Writer, r *Report, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		FormatVersion int `json:"formatVersion"`
		*Report
	}{JSONFormatVersion, r})
}
