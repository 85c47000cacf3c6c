package sfsandbox

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// getTooling answers GET /tooling/sobjects/{type}/{id} for CustomField,
// GlobalValueSet and StandardValueSet, with the full Metadata.
func (s *Sandbox) getTooling(w http.ResponseWriter, r *http.Request) {
	typ, id, version := r.PathValue("type"), r.PathValue("id"), r.PathValue("version")
	s.mu.Lock()
	defer s.mu.Unlock()
	attrs := &sfapi.Attributes{Type: typ, URL: sfapi.Root(version) + "/tooling/sobjects/" + typ + "/" + id}
	switch typ {
	case sfapi.TypeCustomField:
		object, f := s.customFieldByID(id)
		if f == nil {
			notFound(w)
			return
		}
		writeJSON(w, http.StatusOK, s.customFieldRecord(attrs, object, f))
	case sfapi.TypeGlobalValueSet:
		g := s.globalByID(id)
		if g == nil {
			notFound(w)
			return
		}
		md := sfapi.GlobalValueSetMetadata{MasterLabel: g.MasterLabel, Sorted: g.Sorted, CustomValue: cloneValues(g.Values)}
		if g.Description != "" {
			md.Description = new(g.Description)
		}
		writeJSON(w, http.StatusOK, sfapi.GlobalValueSet{Attributes: attrs, ID: g.ID, FullName: g.FullName, Metadata: md})
	case sfapi.TypeStandardValueSet:
		v := s.standardByID(id)
		if v == nil {
			notFound(w)
			return
		}
		md := sfapi.StandardValueSetMetadata{Sorted: v.Sorted, StandardValue: cloneValues(v.Values),
			Extra: sfapi.Extra{"groupingStringEnum": json.RawMessage("null")}}
		writeJSON(w, http.StatusOK, sfapi.StandardValueSet{Attributes: attrs, ID: v.ID, FullName: v.FullName, MasterLabel: v.FullName, Metadata: md})
	default:
		notFound(w)
	}
}

// customFieldRecord is a field as Tooling CustomField, with the Metadata
// members a real org sends that mops does not model kept in Extra.
func (s *Sandbox) customFieldRecord(attrs *sfapi.Attributes, object string, f *Field) sfapi.CustomField {
	_, dev := developerName(f.Name)
	table := object
	if isCustom(object) {
		table = s.state.Objects[object].ID
	}
	md := sfapi.CustomFieldMetadata{Label: f.Label, Type: metadataType(f.Type), Extra: sfapi.Extra{
		"required": json.RawMessage("false"), "description": json.RawMessage("null"),
		"inlineHelpText": json.RawMessage("null"), "externalId": json.RawMessage("false"),
	}}
	if f.Type == sfapi.FieldPicklist || f.Type == sfapi.FieldMultiPicklist {
		vs := &sfapi.ValueSet{Restricted: new(s.state.restricted(f)), Extra: sfapi.Extra{"valueSettings": json.RawMessage("[]")}}
		if f.ValueSetName != "" {
			vs.ValueSetName = new(f.ValueSetName)
		} else {
			vs.ValueSetDefinition = &sfapi.ValueSetDefinition{Sorted: f.Sorted, Value: cloneValues(f.Values)}
		}
		md.ValueSet = vs
	}
	return sfapi.CustomField{Attributes: attrs, ID: f.ID, FullName: object + "." + f.Name, DeveloperName: dev, TableEnumOrID: table, Metadata: md}
}

// metadataType maps a describe type to the Metadata field type.
func metadataType(t string) string {
	switch t {
	case sfapi.FieldPicklist:
		return sfapi.MetadataPicklist
	case sfapi.FieldMultiPicklist:
		return sfapi.MetadataMultiPicklist
	case "string":
		return "Text"
	case "":
		return ""
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// describeType maps a Metadata field type back; "" for one the emulator
// cannot create.
func describeType(t string) string {
	switch t {
	case sfapi.MetadataPicklist:
		return sfapi.FieldPicklist
	case sfapi.MetadataMultiPicklist:
		return sfapi.FieldMultiPicklist
	case "Text":
		return "string"
	}
	return ""
}

func (s *Sandbox) customFieldByID(id string) (string, *Field) {
	for _, name := range sortedObjects(s.state) {
		for _, f := range s.state.Objects[name].Fields {
			if f.ID == id && isCustom(f.Name) {
				return name, f
			}
		}
	}
	return "", nil
}

func (s *Sandbox) globalByID(id string) *GlobalValueSet {
	for _, g := range s.state.GlobalValueSets {
		if g.ID == id {
			return g
		}
	}
	return nil
}

func (s *Sandbox) standardByID(id string) *StandardValueSet {
	for _, v := range s.state.StandardValueSets {
		if v.ID == id {
			return v
		}
	}
	return nil
}
