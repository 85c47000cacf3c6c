package sfsandbox

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// mergeValues applies a value list sent in a Tooling write to the current
// one, as a Metadata deploy does: the sent values in their order, then
// every current value the list leaves out, deactivated (Salesforce never
// deletes a value this way). It refuses a member the Tooling API does not
// know in a value (fullName, the Metadata API's XML name for valueName,
// among them), empty or duplicate names (case is ignored), more than one
// default in a single-select list, and an inactive default (an emulator
// rule; VERIFY).
func mergeValues(cur, sent []sfapi.CustomValue, multi bool) ([]sfapi.CustomValue, *apiErr) {
	out := make([]sfapi.CustomValue, 0, len(cur)+len(sent))
	seen := map[string]bool{}
	defaults := 0
	for i, v := range sent {
		if bad := unknownMember(v); bad != "" {
			return nil, &apiErr{http.StatusBadRequest, sfapi.CodeJSONParser,
				fmt.Sprintf("Unrecognized field %q in picklist value %d: not a member of CustomValue in the Tooling API", bad, i+1)}
		}
		key := strings.ToLower(v.ValueName)
		switch {
		case strings.TrimSpace(v.ValueName) == "":
			return nil, integrity("value %d: valueName is required", i+1)
		case seen[key]:
			return nil, &apiErr{http.StatusBadRequest, sfapi.CodeDuplicateValue, fmt.Sprintf("duplicate value found: %s", v.ValueName)}
		case v.Default && !v.Active():
			return nil, integrity("the default value %s must be active", v.ValueName)
		}
		seen[key] = true
		if v.Default {
			defaults++
		}
		v.Label = cmp.Or(v.Label, v.ValueName)
		v.IsActive = new(v.Active())
		out = append(out, v)
	}
	if defaults > 1 && !multi {
		return nil, integrity("only one value can be the default")
	}
	for _, v := range cur {
		if seen[strings.ToLower(v.ValueName)] {
			continue
		}
		v.IsActive = new(false)
		v.Default = false
		out = append(out, v)
	}
	return out, nil
}

// unknownMember returns the first member of v, in name order, that a
// picklist value does not have in the Tooling API; "" when none.
func unknownMember(v sfapi.CustomValue) string {
	for _, k := range slices.Sorted(maps.Keys(v.Extra)) {
		if !sfapi.KnownValueMember(k) {
			return k
		}
	}
	return ""
}

func integrity(format string, args ...any) *apiErr {
	return &apiErr{http.StatusBadRequest, sfapi.CodeFieldIntegrity, fmt.Sprintf(format, args...)}
}
