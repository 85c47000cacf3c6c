package sandbox

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// batchUpdate emulates POST /crm/v3/objects/{objectType}/batch/update.
// Invalid values refuse the whole batch with 400 (nothing is written):
// unknown or archived properties, read-only values, and enumeration values
// that are not options. Hidden options are accepted, as in HubSpot, where
// hidden only takes an option out of the UI. Unknown ids do not stop the
// others: the answer is then 207 with an OBJECT_NOT_FOUND error listing
// them.
func (s *Sandbox) batchUpdate(w http.ResponseWriter, r *http.Request) {
	var in hsapi.BatchUpdateRequest
	if !decodeBody(w, r, &in) {
		return
	}
	if len(in.Inputs) == 0 || len(in.Inputs) > hsapi.MaxBatchInputs {
		badRequest(w, "A batch needs 1 to %d inputs, got %d", hsapi.MaxBatchInputs, len(in.Inputs))
		return
	}
	seen := map[string]bool{}
	for _, x := range in.Inputs {
		if x.ID == "" {
			badRequest(w, "Every input needs an id")
			return
		}
		if seen[x.ID] {
			badRequest(w, "Duplicate IDs found in batch input: [%s]", x.ID)
			return
		}
		seen[x.ID] = true
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	objectType := r.PathValue("objectType")
	o := s.state.Objects[objectType]
	if o == nil {
		notFound(w, "Unable to infer object type from: %s", objectType)
		return
	}
	if details := invalidValues(o, in.Inputs); len(details) > 0 {
		writeError(w, http.StatusBadRequest, hsapi.CategoryValidation, "Property values were not valid", details...)
		return
	}
	started := s.now().UTC()
	out := hsapi.BatchResponse{Status: hsapi.BatchComplete, Results: []hsapi.Object{}, StartedAt: started}
	var missing []string
	refused := map[string][]string{} // message → ids
	for _, x := range in.Inputs {
		rec := o.record(x.ID)
		if rec == nil {
			missing = append(missing, x.ID)
			continue
		}
		if msg := s.requiredMissing(r, objectType, rec, x.Properties); msg != "" {
			refused[msg] = append(refused[msg], x.ID)
			continue
		}
		s.index(rec, started)
		for name, v := range x.Properties {
			switch {
			case v == "":
				delete(rec.Properties, name)
			case s.backwards(o, name, rec.Properties[name], v):
				// ignored: the record keeps its stage
			default:
				rec.Properties[name] = v
			}
		}
		rec.UpdatedAt = started
		out.Results = append(out.Results, toObject(rec, slices.Sorted(maps.Keys(x.Properties))))
	}
	if len(out.Results) > 0 {
		if err := s.commit(); err != nil {
			writeError(w, http.StatusInternalServerError, hsapi.CategoryInternal, err.Error())
			return
		}
	}
	out.CompletedAt = s.now().UTC()
	if len(missing) > 0 {
		out.Errors = append(out.Errors, hsapi.StandardError{
			Status:   "error",
			Category: hsapi.CategoryNotFound,
			Message:  fmt.Sprintf("Could not get some %s objects, they may be deleted or not exist. Check that ids are valid.", strings.ToUpper(singular(objectType))),
			Context:  map[string][]string{"ids": missing},
			Errors:   []hsapi.ErrorDetail{},
			Links:    map[string]string{},
		})
	}
	for _, msg := range slices.Sorted(maps.Keys(refused)) {
		out.Errors = append(out.Errors, hsapi.StandardError{
			Status: "error", Category: hsapi.CategoryValidation, Message: msg,
			Context: map[string][]string{"ids": refused[msg]}, Errors: []hsapi.ErrorDetail{}, Links: map[string]string{},
		})
	}
	status := http.StatusOK
	if out.NumErrors = len(out.Errors); out.NumErrors > 0 {
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, out)
}

// index keeps what search sees of rec while a write made at now travels
// to the search index: the values before the first unindexed write, until
// the lag after the latest one has passed.
func (s *Sandbox) index(rec *Record, now time.Time) {
	lag := s.searchLag()
	if lag <= 0 {
		return
	}
	if !now.Before(rec.indexedAt) {
		rec.indexed = maps.Clone(rec.Properties)
	}
	rec.indexedAt = now.Add(lag)
}

// searchLag is how long writes take to reach search.
func (s *Sandbox) searchLag() time.Duration {
	if s.state.Portal == nil {
		return 0
	}
	return time.Duration(s.state.Portal.SearchLag)
}

// lifecycleStage is the HubSpot-defined property that holds a contact's or
// company's lifecycle stage.
const lifecycleStage = "lifecyclestage"

// backwards reports whether writing v over cur in property name of o
// moves a lifecycle stage backwards, which HubSpot ignores: a record's
// stage only moves forward by a direct write, and must be cleared first
// to move back (HubSpot community, "Update Lifecycle Stage Using API":
// https://integrate.hubspot.com/t/update-lifecycle-stage-using-api/1333;
// the write answers success and the value stays). Stages are ordered as
// the property's options are shown. A seed's portal can allow backward
// writes (lifecycleBackward).
func (s *Sandbox) backwards(o *Object, name, cur, v string) bool {
	if name != lifecycleStage || cur == "" || (s.state.Portal != nil && s.state.Portal.LifecycleBackward) {
		return false
	}
	p := o.property(name)
	if p == nil {
		return false
	}
	order := slices.Clone(p.Options)
	slices.SortStableFunc(order, func(a, b hsapi.Option) int { return cmp.Compare(shownAt(a.DisplayOrder), shownAt(b.DisplayOrder)) })
	at := func(value string) int {
		return slices.IndexFunc(order, func(o hsapi.Option) bool { return o.Value == value })
	}
	from, to := at(cur), at(v)
	return from >= 0 && to >= 0 && to < from
}

// shownAt is where HubSpot shows an option of displayOrder: -1 after
// every other.
func shownAt(displayOrder int) int {
	if displayOrder < 0 {
		return math.MaxInt
	}
	return displayOrder
}

// requiredMissing says why the account's required properties refuse
// setting props on rec, a record of objectType, through r's API version;
// "" when they do not. HubSpot applies them to API writes from 2026-09
// ("Breaking Change: CRM API Write Validation Enforcement Starting with
// the 2026-09 API Version", developers.hubspot.com/changelog/crm-api-write-validation-enforcement);
// how a batch answers a refused record is the emulator's choice (VERIFY):
// a 207 naming it, the others written.
func (s *Sandbox) requiredMissing(r *http.Request, objectType string, rec *Record, props map[string]string) string {
	if s.state.Portal == nil || !validated(r) {
		return ""
	}
	after := maps.Clone(rec.Properties)
	maps.Copy(after, props)
	for _, req := range s.state.Portal.RequiredProperties {
		if req.Object != objectType || after[req.Property] != "" {
			continue
		}
		match := true
		for k, v := range req.When {
			match = match && after[k] == v
		}
		if !match {
			continue
		}
		if len(req.When) == 0 {
			return fmt.Sprintf("%s is required", req.Property)
		}
		when := make([]string, 0, len(req.When))
		for _, k := range slices.Sorted(maps.Keys(req.When)) {
			when = append(when, k+" is "+req.When[k])
		}
		return fmt.Sprintf("%s is required when %s", req.Property, strings.Join(when, " and "))
	}
	return ""
}

// invalidValues lists why HubSpot would refuse the values of a batch.
func invalidValues(o *Object, inputs []hsapi.BatchInput) []hsapi.ErrorDetail {
	var details []hsapi.ErrorDetail
	for _, x := range inputs {
		for _, name := range slices.Sorted(maps.Keys(x.Properties)) {
			v := x.Properties[name]
			p := o.property(name)
			switch {
			case p == nil || p.Archived:
				details = append(details, detail(x.ID, name, "PROPERTY_DOESNT_EXIST", "Property %q does not exist", name))
			case p.ModificationMetadata != nil && p.ModificationMetadata.ReadOnlyValue:
				details = append(details, detail(x.ID, name, "READ_ONLY_VALUE", "Property %q is read-only", name))
			case p.Type == "enumeration" && v != "":
				vals := []string{v}
				if p.FieldType == "checkbox" {
					vals = strings.Split(v, ";")
				}
				for _, t := range vals {
					if !slices.ContainsFunc(p.Options, func(opt hsapi.Option) bool { return opt.Value == t }) {
						details = append(details, detail(x.ID, name, "INVALID_OPTION",
							"%s was not one of the allowed options: [%s]", t, optionValues(p)))
					}
				}
			}
		}
	}
	return details
}

func detail(id, name, code, format string, args ...any) hsapi.ErrorDetail {
	return hsapi.ErrorDetail{
		Message: fmt.Sprintf(format, args...), In: name, Code: code,
		Context: map[string][]string{"id": {id}, "propertyName": {name}},
	}
}

func optionValues(p *hsapi.Property) string {
	vals := make([]string, 0, len(p.Options))
	for _, o := range p.Options {
		vals = append(vals, o.Value)
	}
	return strings.Join(vals, ", ")
}
