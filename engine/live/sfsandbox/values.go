package sfsandbox

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// mergeValues applies a value list sent in a Tooling write to the current
// one, as a Metadata deploy does: the sent values in their order, then
// every current value the list leaves out, deactivated (Salesforce never
// deletes a value this way). It refuses empty or duplicate names (case
// is ignored), more than one default in a single-select list, and an
// inactive default (an emulator rule; VERIFY).
func mergeValues(cur, sent []sfapi.CustomValue, multi bool) ([]sfapi.CustomValue, *apiErr) {
	out := make([]sfapi.CustomValue, 0, len(cur)+len(sent))
	seen := map[string]bool{}
	defaults := 0
	for i, v := range sent {
		key := strings.ToLower(v.FullName)
		switch {
		case strings.TrimSpace(v.FullName) == "":
			return nil, integrity("value %d: fullName is required", i+1)
		case seen[key]:
			return nil, &apiErr{http.StatusBadRequest, sfapi.CodeDuplicateValue, fmt.Sprintf("duplicate value found: %s", v.FullName)}
		case v.Default && !v.Active():
			return nil, integrity("the default value %s must be active", v.FullName)
		}
		seen[key] = true
		if v.Default {
			defaults++
		}
		v.Label = cmp.Or(v.Label, v.FullName)
		v.IsActive = new(v.Active())
		out = append(out, v)
	}
	if defaults > 1 && !multi {
		return nil, integrity("only one value can be the default")
	}
	for _, v := range cur {
		if seen[strings.ToLower(v.FullName)] {
			continue
		}
		v.IsActive = new(false)
		v.Default = false
		out = append(out, v)
	}
	return out, nil
}

func integrity(format string, args ...any) *apiErr {
	return &apiErr{http.StatusBadRequest, sfapi.CodeFieldIntegrity, fmt.Sprintf(format, args...)}
}
