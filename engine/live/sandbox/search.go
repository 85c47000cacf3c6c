package sandbox

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// builtinProperties exist on every record without a definition.
var builtinProperties = []string{"hs_object_id", "createdate", "lastmodifieddate"}

// searchObjects emulates CRM search: filter groups ORed, filters ANDed;
// operators EQ, NEQ, GT, GTE, LT, LTE, IN, NOT_IN, HAS_PROPERTY,
// NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN (others and
// free-text query answer 400); offset paging through `after`, refused past
// 10,000 results as HubSpot does ("Search the CRM": a query pages through
// at most 10,000 results); total is not capped. Results come in the order
// of the one sort rule; without one, in an order HubSpot does not
// document, which the sandbox makes most recently modified first so that
// a client relying on it shows. Search sees each record as the index has
// it: a write reaches it after the portal's search lag.
func (s *Sandbox) searchObjects(w http.ResponseWriter, r *http.Request) {
	var in hsapi.SearchRequest
	if !decodeBody(w, r, &in) {
		return
	}
	// An absent (zero) limit means 10; a negative one is refused, as
	// HubSpot does, rather than read as the default.
	limit := in.Limit
	if limit == 0 {
		limit = 10
	}
	after := 0
	if in.After != "" {
		n, err := strconv.Atoi(in.After)
		if err != nil || n < 0 {
			badRequest(w, "after %q is not a valid paging cursor", in.After)
			return
		}
		after = n
	}
	switch {
	case limit < 0:
		badRequest(w, "limit %d is not valid: it must be between 1 and %d", limit, hsapi.MaxSearchLimit)
		return
	case limit > hsapi.MaxSearchLimit:
		badRequest(w, "limit %d is more than the maximum of %d", limit, hsapi.MaxSearchLimit)
		return
	case after >= hsapi.MaxSearchResults:
		badRequest(w, "Paging past %d results is not supported; narrow the search", hsapi.MaxSearchResults)
		return
	case in.Query != "":
		badRequest(w, "The sandbox does not support free-text query; use filterGroups")
		return
	case len(in.Sorts) > 1:
		badRequest(w, "Only one sort rule is supported")
		return
	}
	if msg := checkFilters(in.FilterGroups); msg != "" {
		badRequest(w, "%s", msg)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	objectType := r.PathValue("objectType")
	o := s.state.Objects[objectType]
	if o == nil {
		notFound(w, "Unable to infer object type from: %s", objectType)
		return
	}
	named := func(name string) bool { return slices.Contains(builtinProperties, name) || o.property(name) != nil }
	for _, g := range in.FilterGroups {
		for _, f := range g.Filters {
			if !named(f.PropertyName) {
				badRequest(w, "There was a problem with the request: property %s does not exist on %s", f.PropertyName, objectType)
				return
			}
		}
	}
	for _, srt := range in.Sorts {
		if !named(srt.PropertyName) || (srt.Direction != "" && srt.Direction != hsapi.Ascending && srt.Direction != hsapi.Descending) {
			badRequest(w, "Cannot sort by %s %s", srt.PropertyName, srt.Direction)
			return
		}
	}
	now := s.now()
	var matches []view
	for _, rec := range o.Records {
		if v := (view{rec, now}); matchGroups(v, in.FilterGroups) {
			matches = append(matches, v)
		}
	}
	sortViews(matches, in.Sorts)
	props := in.Properties
	if len(props) == 0 {
		props = builtinProperties
	}
	out := hsapi.SearchResponse{Total: len(matches), Results: []hsapi.Object{}}
	for _, v := range matches[min(after, len(matches)):min(after+limit, len(matches))] {
		out.Results = append(out.Results, toObjectFrom(v.rec, v.value, props))
	}
	if next := after + limit; next < len(matches) {
		n := strconv.Itoa(next)
		out.Paging = &hsapi.Paging{Next: &hsapi.NextPage{After: n, Link: "?after=" + n}}
	}
	writeJSON(w, http.StatusOK, out)
}

// view is a record as search sees it at a time: its values as indexed.
type view struct {
	rec *Record
	at  time.Time
}

// value is a property of the record as indexed at v.at.
func (v view) value(name string) string {
	if name != hsapi.PropertyObjectID && v.rec.indexed != nil && v.at.Before(v.rec.indexedAt) {
		switch name {
		case "createdate", "lastmodifieddate":
		default:
			return v.rec.indexed[name]
		}
	}
	return recordValue(v.rec, name)
}

// sortViews orders results by the sort rule, numbers numerically; without
// one, most recently modified first, then by id.
func sortViews(vs []view, sorts []hsapi.Sort) {
	if len(sorts) == 0 {
		slices.SortStableFunc(vs, func(a, b view) int {
			return cmp.Or(b.rec.UpdatedAt.Compare(a.rec.UpdatedAt), compareIDs(a.rec.ID, b.rec.ID))
		})
		return
	}
	srt := sorts[0]
	slices.SortStableFunc(vs, func(a, b view) int {
		c := cmp.Or(compareValues(a.value(srt.PropertyName), b.value(srt.PropertyName)), compareIDs(a.rec.ID, b.rec.ID))
		if srt.Direction == hsapi.Descending {
			return -c
		}
		return c
	})
}

func checkFilters(groups []hsapi.FilterGroup) string {
	if len(groups) > hsapi.MaxFilterGroups {
		return fmt.Sprintf("At most %d filterGroups are allowed", hsapi.MaxFilterGroups)
	}
	total := 0
	for _, g := range groups {
		if len(g.Filters) > hsapi.MaxFiltersPerGroup {
			return fmt.Sprintf("At most %d filters per group are allowed", hsapi.MaxFiltersPerGroup)
		}
		total += len(g.Filters)
		for _, f := range g.Filters {
			switch f.Operator {
			case hsapi.OpEQ, hsapi.OpNEQ, hsapi.OpContainsToken, hsapi.OpNotContainsToken, hsapi.OpGT, hsapi.OpGTE, hsapi.OpLT, hsapi.OpLTE:
				if f.Value == "" {
					return fmt.Sprintf("Operator %s on %s needs a value", f.Operator, f.PropertyName)
				}
			case hsapi.OpIN, hsapi.OpNotIN:
				if len(f.Values) == 0 {
					return fmt.Sprintf("Operator %s on %s needs values", f.Operator, f.PropertyName)
				}
			case hsapi.OpHasProperty, hsapi.OpNotHasProperty:
			default:
				return fmt.Sprintf("Operator %q is not supported by the sandbox", f.Operator)
			}
		}
	}
	if total > hsapi.MaxFilters {
		return fmt.Sprintf("At most %d filters are allowed in total", hsapi.MaxFilters)
	}
	return ""
}

// matchGroups: no groups match everything; otherwise any group whose
// filters all match.
func matchGroups(v view, groups []hsapi.FilterGroup) bool {
	if len(groups) == 0 {
		return true
	}
	for _, g := range groups {
		all := true
		for _, f := range g.Filters {
			if !matchFilter(v.value(f.PropertyName), f) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func matchFilter(v string, f hsapi.Filter) bool {
	switch f.Operator {
	case hsapi.OpEQ:
		return v == f.Value
	case hsapi.OpNEQ:
		return v != f.Value
	case hsapi.OpGT:
		return v != "" && compareValues(v, f.Value) > 0
	case hsapi.OpGTE:
		return v != "" && compareValues(v, f.Value) >= 0
	case hsapi.OpLT:
		return v != "" && compareValues(v, f.Value) < 0
	case hsapi.OpLTE:
		return v != "" && compareValues(v, f.Value) <= 0
	case hsapi.OpIN:
		return v != "" && slices.Contains(f.Values, v)
	case hsapi.OpNotIN:
		return !slices.Contains(f.Values, v)
	case hsapi.OpHasProperty:
		return v != ""
	case hsapi.OpNotHasProperty:
		return v == ""
	case hsapi.OpContainsToken:
		return slices.Contains(tokens(v), f.Value)
	case hsapi.OpNotContainsToken:
		return !slices.Contains(tokens(v), f.Value)
	}
	return false
}

// compareValues orders two values as numbers when both are integers
// (record ids, number properties), else as strings.
func compareValues(a, b string) int {
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(x, y)
	}
	return strings.Compare(a, b)
}

// tokens splits a value on ';' (multi-select) and white space (text).
func tokens(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ' ' || r == '\t' || r == '\n' })
}

func recordValue(rec *Record, name string) string {
	switch name {
	case "hs_object_id":
		return rec.ID
	case "createdate":
		return rec.CreatedAt.UTC().Format(time.RFC3339Nano)
	case "lastmodifieddate":
		return rec.UpdatedAt.UTC().Format(time.RFC3339Nano)
	}
	return rec.Properties[name]
}

// toObject renders a record with the asked properties; a property without
// a value is null.
func toObject(rec *Record, props []string) hsapi.Object {
	return toObjectFrom(rec, func(name string) string { return recordValue(rec, name) }, props)
}

// toObjectFrom renders a record with the asked properties as value gives
// them.
func toObjectFrom(rec *Record, value func(string) string, props []string) hsapi.Object {
	obj := hsapi.Object{ID: rec.ID, Properties: map[string]*string{}, CreatedAt: rec.CreatedAt.UTC(), UpdatedAt: rec.UpdatedAt.UTC()}
	for _, name := range append([]string{hsapi.PropertyObjectID}, props...) {
		if v := value(name); v != "" {
			obj.Properties[name] = &v
		} else {
			obj.Properties[name] = nil
		}
	}
	return obj
}
