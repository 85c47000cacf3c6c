package sfsandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// collectionUpdate is the body of PATCH /composite/sobjects.
type collectionUpdate struct {
	AllOrNone bool                         `json:"allOrNone"`
	Records   []map[string]json.RawMessage `json:"records"`
}

// updateCollection answers PATCH /composite/sobjects: up to 200 records,
// each {"attributes":{"type"}, "id", <field>: value|null}. Each record is
// checked on its own; with allOrNone false the valid ones are written and
// the answer lists a result per record in request order, with errors
// ({statusCode, message, fields}) for the refused ones. With allOrNone true
// one refusal rolls back every record.
func (s *Sandbox) updateCollection(w http.ResponseWriter, r *http.Request) {
	var body collectionUpdate
	if !decodeBody(w, r, &body) {
		return
	}
	if len(body.Records) > sfapi.MaxCollection {
		badRequest(w, sfapi.CodeExceededIDLimit, "record limit reached. cannot submit more than %d records into this call", sfapi.MaxCollection)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	results := make([]sfapi.RecordResult, len(body.Records))
	var writes []func()
	failed := false
	for i, raw := range body.Records {
		res, apply := s.checkRecord(raw)
		results[i] = res
		failed = failed || !res.Success
		if apply != nil {
			writes = append(writes, apply)
		}
	}
	if body.AllOrNone && failed {
		for i := range results {
			if results[i].Success {
				results[i] = sfapi.RecordResult{Errors: []sfapi.RecordError{{StatusCode: sfapi.CodeRolledBack,
					Message: "Record rolled back because not all records were valid and the request was using AllOrNone header", Fields: []string{}}}}
			}
		}
		writes = nil
	}
	if len(writes) > 0 {
		for _, apply := range writes {
			apply()
		}
		if err := s.commit(); err != nil {
			writeError(w, http.StatusInternalServerError, sfapi.CodeUnknownException, "could not save the sandbox state: "+err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, results)
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$`)

// checkRecord validates one record update and returns its result and, when
// valid, the write to make.
func (s *Sandbox) checkRecord(raw map[string]json.RawMessage) (sfapi.RecordResult, func()) {
	refuse := func(code, msg string, fields ...string) (sfapi.RecordResult, func()) {
		return sfapi.RecordResult{Errors: []sfapi.RecordError{{StatusCode: code, Message: msg, Fields: append([]string{}, fields...)}}}, nil
	}
	var attrs sfapi.Attributes
	if err := json.Unmarshal(raw["attributes"], &attrs); err != nil || attrs.Type == "" {
		return refuse(sfapi.CodeInvalidType, "Each record needs attributes with a type")
	}
	var id string
	idRaw, ok := raw["id"]
	if !ok {
		idRaw = raw["Id"]
	}
	if err := json.Unmarshal(idRaw, &id); err != nil || !idRE.MatchString(id) {
		return refuse(sfapi.CodeMalformedID, fmt.Sprintf("Record ID: id value of incorrect type: %s", strings.Trim(string(idRaw), `"`)), "Id")
	}
	o := s.state.Objects[attrs.Type]
	if o == nil {
		return refuse(sfapi.CodeInvalidType, fmt.Sprintf("sObject type '%s' is not supported.", attrs.Type))
	}
	rec := o.record(id)
	switch {
	case rec == nil:
		return refuse(sfapi.CodeInvalidCrossReference, "invalid cross reference id")
	case rec.Private && !s.state.User.holds("ViewAllData"):
		return refuse(sfapi.CodeInsufficientAccess, "insufficient access rights on object id")
	case attrs.Type == "Lead" && rec.converted() && !s.state.User.holds("ViewEditConvertedLeads"):
		// A converted lead refuses updates unless the user has "View and
		// Edit Converted Leads" (Salesforce Help, "Let Users View and Edit
		// Converted Leads":
		// https://help.salesforce.com/s/articleView?id=sales.leads_view_edit_converted.htm).
		return refuse(sfapi.CodeConvertedLead, "cannot reference converted lead")
	}
	set := map[string]string{}
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if k == "attributes" || k == "id" || k == "Id" {
			continue
		}
		f := o.field(k)
		if f == nil {
			return refuse(sfapi.CodeInvalidField, fmt.Sprintf("No such column '%s' on sobject of type %s", k, attrs.Type), k)
		}
		if f.ReadOnly {
			return refuse(sfapi.CodeFieldNotUpdateable, fmt.Sprintf("Unable to create/update fields: %s. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", k), k)
		}
		var v *string
		if err := json.Unmarshal(raw[k], &v); err != nil {
			return refuse(sfapi.CodeInvalidTypeOnField, fmt.Sprintf("%s: value not of required type: %s", k, raw[k]), k)
		}
		val := ""
		if v != nil {
			val = *v
		}
		if bad := s.badPicklistValue(f, val); bad != "" {
			return refuse(sfapi.CodeRestrictedPicklist, "bad value for restricted picklist field: "+bad, k)
		}
		set[k] = val
	}
	if r := s.refusingRule(attrs.Type, rec, set); r != nil {
		return refuse(sfapi.CodeCustomValidation, r.Message, r.Field)
	}
	return sfapi.RecordResult{ID: id, Success: true, Errors: []sfapi.RecordError{}}, func() {
		for k, v := range set {
			if v == "" {
				delete(rec.Fields, k)
			} else {
				rec.Fields[k] = v
			}
		}
	}
}

// refusingRule returns the first validation rule that refuses setting
// the fields of set on rec, an object's record; nil when none does.
func (s *Sandbox) refusingRule(object string, rec *Record, set map[string]string) *ValidationRule {
	for _, r := range s.state.ValidationRules {
		if r.Object != object {
			continue
		}
		if _, ok := set[r.Field]; !ok {
			continue
		}
		match := true
		for f, v := range r.When {
			match = match && strings.EqualFold(rec.Fields[f], v)
		}
		if match {
			return r
		}
	}
	return nil
}

// badPicklistValue returns a value (or, for a multi-select, a token) that
// a restricted picklist refuses because it is not an active value; "" when
// all is well. Unrestricted picklists take any value, as in Salesforce.
func (s *Sandbox) badPicklistValue(f *Field, val string) string {
	if val == "" || (f.Type != sfapi.FieldPicklist && f.Type != sfapi.FieldMultiPicklist) || !s.state.restricted(f) {
		return ""
	}
	tokens := []string{val}
	if f.Type == sfapi.FieldMultiPicklist {
		tokens = strings.Split(val, ";")
	}
	vals := s.state.values(f)
	for _, t := range tokens {
		if !slices.ContainsFunc(vals, func(v sfapi.CustomValue) bool { return v.ValueName == t && v.Active() }) {
			return t
		}
	}
	return ""
}
