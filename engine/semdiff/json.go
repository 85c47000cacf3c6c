package semdiff

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

// WriteJSON writes the report as indented JSON, the stable machine format
// documented in docs/diff.md, with its formatVersion first. Values are
// exact; what could forge a terminal or a page when it is printed is
// written as \u escapes.
func WriteJSON(w io.Writer, r *Report, _ Options) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		FormatVersion int `json:"formatVersion"`
		*Report
	}{JSONFormatVersion, r}); err != nil {
		return fmt.Errorf("encode diff: %w", err)
	}
	_, err := w.Write(source.JSONSafe(b.Bytes()))
	return err
}
