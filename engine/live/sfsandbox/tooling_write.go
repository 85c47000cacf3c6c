package sfsandbox

import (
	"net/http"
	"strings"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// patchTooling answers PATCH /tooling/sobjects/{type}/{id} with
// {"FullName", "Metadata"}: the full Metadata, whose value list replaces
// the current one (values left out are deactivated). 204 on success.
func (s *Sandbox) patchTooling(w http.ResponseWriter, r *http.Request) {
	typ, id := r.PathValue("type"), r.PathValue("id")
	var err *apiErr
	switch typ {
	case sfapi.TypeCustomField:
		var body sfapi.MetadataWrite[sfapi.CustomFieldMetadata]
		if !decodeBody(w, r, &body) {
			return
		}
		err = s.write(func() *apiErr { return s.updateCustomField(id, body) })
	case sfapi.TypeGlobalValueSet:
		var body sfapi.MetadataWrite[sfapi.GlobalValueSetMetadata]
		if !decodeBody(w, r, &body) {
			return
		}
		err = s.write(func() *apiErr { return s.updateGlobal(id, body) })
	case sfapi.TypeStandardValueSet:
		var body sfapi.MetadataWrite[sfapi.StandardValueSetMetadata]
		if !decodeBody(w, r, &body) {
			return
		}
		err = s.write(func() *apiErr { return s.updateStandard(id, body) })
	default:
		notFound(w)
		return
	}
	if err != nil {
		err.write(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// write runs a change under the lock and persists it; a failed save rolls
// the change back and is a 500.
func (s *Sandbox) write(change func() *apiErr) *apiErr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := change(); err != nil {
		return err
	}
	if err := s.commit(); err != nil {
		return &apiErr{http.StatusInternalServerError, sfapi.CodeUnknownException, "could not save the sandbox state: " + err.Error()}
	}
	return nil
}

func (s *Sandbox) updateCustomField(id string, body sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) *apiErr {
	object, f := s.customFieldByID(id)
	if f == nil {
		return &apiErr{http.StatusNotFound, sfapi.CodeNotFound, "The requested resource does not exist"}
	}
	md := body.Metadata
	switch {
	case body.FullName != object+"."+f.Name:
		return integrity("FullName %q does not match the field %s.%s; renaming is not supported", body.FullName, object, f.Name)
	case md.Type != metadataType(f.Type):
		return integrity("cannot change the type of %s.%s from %s to %s", object, f.Name, metadataType(f.Type), md.Type)
	case strings.TrimSpace(md.Label) == "":
		return integrity("label is required")
	}
	if f.Type != sfapi.FieldPicklist && f.Type != sfapi.FieldMultiPicklist {
		f.Label = md.Label
		return nil
	}
	vs := md.ValueSet
	switch {
	case vs == nil:
		return integrity("valueSet is required for a picklist")
	case f.ValueSetName != "":
		if !strings.EqualFold(vs.GlobalName(), f.ValueSetName) || vs.ValueSetDefinition != nil {
			return integrity("%s.%s uses the global value set %s; change its values there", object, f.Name, f.ValueSetName)
		}
	case vs.GlobalName() != "":
		return integrity("the sandbox cannot switch %s.%s to a global value set", object, f.Name)
	case vs.ValueSetDefinition == nil:
		return integrity("valueSet.valueSetDefinition is required for a picklist with its own values")
	default:
		vals, err := mergeValues(f.Values, vs.ValueSetDefinition.Value, f.Type == sfapi.FieldMultiPicklist)
		if err != nil {
			return err
		}
		f.Values, f.Sorted = vals, vs.ValueSetDefinition.Sorted
		if vs.Restricted != nil {
			f.Restricted = *vs.Restricted
		}
	}
	f.Label = md.Label
	return nil
}

func (s *Sandbox) updateGlobal(id string, body sfapi.MetadataWrite[sfapi.GlobalValueSetMetadata]) *apiErr {
	g := s.globalByID(id)
	if g == nil {
		return &apiErr{http.StatusNotFound, sfapi.CodeNotFound, "The requested resource does not exist"}
	}
	md := body.Metadata
	switch {
	case body.FullName != g.FullName:
		return integrity("FullName %q does not match the global value set %s", body.FullName, g.FullName)
	case strings.TrimSpace(md.MasterLabel) == "":
		return integrity("masterLabel is required")
	}
	vals, err := mergeValues(g.Values, md.CustomValue, false)
	if err != nil {
		return err
	}
	if len(vals) > sfapi.MaxGlobalValues {
		return integrity("a global value set holds at most %d values, inactive ones included; this would be %d", sfapi.MaxGlobalValues, len(vals))
	}
	g.Values, g.Sorted, g.MasterLabel = vals, md.Sorted, md.MasterLabel
	g.Description = ""
	if md.Description != nil {
		g.Description = *md.Description
	}
	return nil
}

func (s *Sandbox) updateStandard(id string, body sfapi.MetadataWrite[sfapi.StandardValueSetMetadata]) *apiErr {
	v := s.standardByID(id)
	if v == nil {
		return &apiErr{http.StatusNotFound, sfapi.CodeNotFound, "The requested resource does not exist"}
	}
	md := body.Metadata
	switch {
	case body.FullName != v.FullName:
		return integrity("FullName %q does not match the standard value set %s", body.FullName, v.FullName)
	case len(md.StandardValue) == 0:
		return integrity("a standard value set must contain at least one value")
	}
	vals, err := mergeValues(v.Values, md.StandardValue, false)
	if err != nil {
		return err
	}
	v.Values, v.Sorted = vals, md.Sorted
	return nil
}

// createTooling answers POST /tooling/sobjects/CustomField: a new custom
// field on an existing object, 201 with a save result.
func (s *Sandbox) createTooling(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("type") != sfapi.TypeCustomField {
		writeError(w, http.StatusMethodNotAllowed, sfapi.CodeMethodNotAllowed, "the sandbox creates only CustomField records")
		return
	}
	var body sfapi.MetadataWrite[sfapi.CustomFieldMetadata]
	if !decodeBody(w, r, &body) {
		return
	}
	var id string
	if err := s.write(func() (err *apiErr) { id, err = s.createCustomField(body); return err }); err != nil {
		err.write(w)
		return
	}
	writeJSON(w, http.StatusCreated, sfapi.SaveResult{ID: id, Success: true, Errors: []sfapi.Error{}})
}

func (s *Sandbox) createCustomField(body sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) (string, *apiErr) {
	object, field, _ := strings.Cut(body.FullName, ".")
	o := s.state.Objects[object]
	md := body.Metadata
	typ := describeType(md.Type)
	switch {
	case o == nil:
		return "", integrity("no object %q for %s", object, body.FullName)
	case !isCustom(field) || !nameRE.MatchString(field):
		return "", integrity("%q is not a custom field name (Name__c)", field)
	case o.field(field) != nil:
		_, dev := developerName(field)
		return "", &apiErr{http.StatusBadRequest, sfapi.CodeDuplicateDeveloperName, "There is already a field named " + dev + " on " + object + "."}
	case typ == "":
		return "", integrity("the sandbox creates Picklist, MultiselectPicklist and Text fields, not %q", md.Type)
	case strings.TrimSpace(md.Label) == "":
		return "", integrity("label is required")
	}
	f := &Field{Name: field, Label: md.Label, Type: typ, ID: makeID(prefixCustomField, body.FullName)}
	if typ != "string" {
		vs := md.ValueSet
		switch {
		case vs == nil:
			return "", integrity("valueSet is required for a picklist")
		case vs.GlobalName() != "":
			g := s.state.global(vs.GlobalName())
			if g == nil {
				return "", integrity("no global value set %s", vs.GlobalName())
			}
			f.ValueSetName, f.Restricted = g.FullName, true
		case vs.ValueSetDefinition == nil:
			return "", integrity("valueSet.valueSetDefinition is required for a picklist with its own values")
		default:
			vals, err := mergeValues(nil, vs.ValueSetDefinition.Value, typ == sfapi.FieldMultiPicklist)
			if err != nil {
				return "", err
			}
			f.Values, f.Sorted = vals, vs.ValueSetDefinition.Sorted
			f.Restricted = vs.Restricted != nil && *vs.Restricted
		}
	}
	o.Fields = append(o.Fields, f)
	return f.ID, nil
}
