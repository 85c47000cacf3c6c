package cli

import "github.com/mops-dev/mops/engine/model"

// kinds lists the document kinds, for shell completion.
func kinds() []string {
	var out []string
	for _, k := range model.Kinds() {
		out = append(out, string(k))
	}
	return out
}
