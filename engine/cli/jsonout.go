package cli

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/mops-dev/mops/engine/source"
)

// encodeJSON writes v as the indented JSON every --format json output
// uses. Values are exact; what could forge a terminal when the JSON is
// printed (C1 and bidirectional controls) is written as \u escapes.
func encodeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(source.JSONSafe(b.Bytes()))
	return err
}
