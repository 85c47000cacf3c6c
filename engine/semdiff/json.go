package semdiff

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report as indented JSON, the stable machine format
// documented in docs/diff.md.
func WriteJSON(w io.Writer, r *Report, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
