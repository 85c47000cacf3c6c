package cli

import (
	"encoding/json"
	"io"
)

// encodeJSON writes v as the indented JSON every --format json output uses.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
