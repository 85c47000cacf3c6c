package salesforce

import (
	"cmp"
	"slices"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// toLiveOptions maps Salesforce values to live options in list order:
// Value is the API name (valueName), Hidden is !isActive, and DisplayOrder
// is the position, because Salesforce orders values by their place in the
// list and has no separate order field.
func toLiveOptions(vals []sfapi.CustomValue) []live.Option {
	out := make([]live.Option, 0, len(vals))
	for i, v := range vals {
		o := live.Option{Value: v.ValueName, Label: v.Label, DisplayOrder: i, Hidden: !v.Active()}
		if v.Description != nil {
			o.Description = *v.Description
		}
		out = append(out, o)
	}
	return out
}

// planValues turns a desired option list into the value list to write,
// in the order Salesforce will keep it:
//
//  1. active options by DisplayOrder (ties keep the list's order);
//  2. inactive (Hidden) options by DisplayOrder;
//  3. live values the desired list leaves out, in live order, written with
//     isActive false. Salesforce never deletes a value here: a removal is
//     a deactivation, and it is written explicitly rather than left to
//     the "omitted means inactive" rule.
//
// Active values thus take positions 0..n-1, which is the DisplayOrder plan
// gives them, so a re-read matches and the next plan is empty. Fields mops
// does not govern (color, converted, closed, ...) are kept from the live
// value; a value that becomes inactive stops being the default.
func planValues(cur []sfapi.CustomValue, desired []live.Option) []sfapi.CustomValue {
	byName := make(map[string]sfapi.CustomValue, len(cur))
	for _, v := range cur {
		byName[v.ValueName] = v
	}
	opts := slices.Clone(desired)
	slices.SortStableFunc(opts, func(a, b live.Option) int {
		return cmp.Or(compareBool(a.Hidden, b.Hidden), cmp.Compare(a.DisplayOrder, b.DisplayOrder))
	})
	out := make([]sfapi.CustomValue, 0, len(cur)+len(desired))
	seen := make(map[string]bool, len(opts))
	for _, o := range opts {
		v := byName[o.Value]
		v.ValueName, v.Label = o.Value, o.Label
		v.Description = nil
		if o.Description != "" {
			v.Description = new(o.Description)
		}
		v.IsActive = new(!o.Hidden)
		v.Default = v.Default && !o.Hidden
		out = append(out, v)
		seen[o.Value] = true
	}
	for _, v := range cur {
		if seen[v.ValueName] {
			continue
		}
		v.IsActive = new(false)
		v.Default = false
		out = append(out, v)
	}
	return out
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
