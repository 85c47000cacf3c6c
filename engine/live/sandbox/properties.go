package sandbox

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// optionIn is an option as a request sends it; pointers tell a missing
// field from a zero one (label, value and hidden are required).
type optionIn struct {
	Label        *string `json:"label"`
	Value        *string `json:"value"`
	Description  *string `json:"description"`
	DisplayOrder *int    `json:"displayOrder"`
	Hidden       *bool   `json:"hidden"`
}

// propertyUpdateIn is schema PropertyUpdate.
type propertyUpdateIn struct {
	Label              *string     `json:"label"`
	Type               *string     `json:"type"`
	FieldType          *string     `json:"fieldType"`
	GroupName          *string     `json:"groupName"`
	Description        *string     `json:"description"`
	Hidden             *bool       `json:"hidden"`
	DisplayOrder       *int        `json:"displayOrder"`
	FormField          *bool       `json:"formField"`
	CalculationFormula *string     `json:"calculationFormula"`
	Options            *[]optionIn `json:"options"`
}

// propertyCreateIn is schema PropertyCreate.
type propertyCreateIn struct {
	Name                 string     `json:"name"`
	Label                string     `json:"label"`
	Type                 string     `json:"type"`
	FieldType            string     `json:"fieldType"`
	GroupName            string     `json:"groupName"`
	Description          string     `json:"description"`
	Hidden               bool       `json:"hidden"`
	DisplayOrder         *int       `json:"displayOrder"`
	FormField            bool       `json:"formField"`
	HasUniqueValue       bool       `json:"hasUniqueValue"`
	ExternalOptions      bool       `json:"externalOptions"`
	ReferencedObjectType string     `json:"referencedObjectType"`
	CalculationFormula   string     `json:"calculationFormula"`
	Options              []optionIn `json:"options"`
}

// options converts and checks a requested option list; msg says why
// HubSpot would refuse it. From 2026-09, displayOrder is required too (the
// dated Properties API's OptionInput).
func options(in []optionIn, r *http.Request) (out []hsapi.Option, msg string) {
	out = make([]hsapi.Option, 0, len(in))
	for i, o := range in {
		if o.Label == nil || o.Value == nil || o.Hidden == nil {
			return nil, fmt.Sprintf("options[%d]: label, value and hidden are required", i)
		}
		if o.DisplayOrder == nil && validated(r) {
			return nil, fmt.Sprintf("options[%d]: displayOrder is required", i)
		}
		opt := hsapi.Option{Label: *o.Label, Value: *o.Value, Hidden: *o.Hidden, DisplayOrder: -1}
		if o.Description != nil {
			opt.Description = *o.Description
		}
		if o.DisplayOrder != nil {
			opt.DisplayOrder = *o.DisplayOrder
		}
		out = append(out, opt)
	}
	return out, checkOptions(out)
}

func (s *Sandbox) listProperties(w http.ResponseWriter, r *http.Request) {
	objectType := r.PathValue("objectType")
	archived := r.URL.Query().Get("archived") == "true"
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.state.Objects[objectType]
	if o == nil {
		notFound(w, "Unable to infer object type from: %s", objectType)
		return
	}
	out := hsapi.PropertyList{Results: []hsapi.Property{}}
	for _, p := range o.Properties {
		if p.Archived == archived {
			out.Results = append(out.Results, *p)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// lookup finds a live (unarchived) property or answers 404.
func (s *Sandbox) lookup(w http.ResponseWriter, r *http.Request) (*Object, *hsapi.Property) {
	objectType, name := r.PathValue("objectType"), r.PathValue("propertyName")
	o := s.state.Objects[objectType]
	if o == nil {
		notFound(w, "Unable to infer object type from: %s", objectType)
		return nil, nil
	}
	p := o.property(name)
	if p == nil || (p.Archived && r.URL.Query().Get("archived") != "true") {
		notFound(w, "Property %s does not exist", name)
		return nil, nil
	}
	return o, p
}

func (s *Sandbox) getProperty(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, p := s.lookup(w, r); p != nil {
		writeJSON(w, http.StatusOK, p)
	}
}

func (s *Sandbox) updateProperty(w http.ResponseWriter, r *http.Request) {
	var in propertyUpdateIn
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p := s.lookup(w, r)
	if p == nil {
		return
	}
	meta := p.ModificationMetadata
	definition := in.Label != nil || in.Type != nil || in.FieldType != nil || in.GroupName != nil ||
		in.Description != nil || in.Hidden != nil || in.DisplayOrder != nil || in.FormField != nil || in.CalculationFormula != nil
	if definition && meta != nil && meta.ReadOnlyDefinition {
		badRequest(w, "%s is a HubSpot-defined property with a read-only definition; only its options may change", p.Name)
		return
	}
	next := *p
	if in.Options != nil {
		if meta != nil && meta.ReadOnlyOptions {
			badRequest(w, "The options of %s are read-only", p.Name)
			return
		}
		opts, msg := options(*in.Options, r)
		if msg != "" {
			badRequest(w, "Invalid options for %s: %s", p.Name, msg)
			return
		}
		next.Options = opts
	}
	set(&next.Label, in.Label)
	set(&next.Type, in.Type)
	set(&next.FieldType, in.FieldType)
	set(&next.GroupName, in.GroupName)
	set(&next.Description, in.Description)
	set(&next.Hidden, in.Hidden)
	set(&next.DisplayOrder, in.DisplayOrder)
	set(&next.FormField, in.FormField)
	if !slices.Contains(propertyTypes, next.Type) || !slices.Contains(fieldTypes, next.FieldType) {
		badRequest(w, "Unknown type %q or fieldType %q", next.Type, next.FieldType)
		return
	}
	next.UpdatedAt = s.now().UTC()
	*p = next
	if err := s.commit(); err != nil {
		writeError(w, http.StatusInternalServerError, hsapi.CategoryInternal, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func (s *Sandbox) createProperty(w http.ResponseWriter, r *http.Request) {
	var in propertyCreateIn
	if !decodeBody(w, r, &in) {
		return
	}
	switch {
	case !propertyNameRE.MatchString(in.Name):
		badRequest(w, "Property name %q is invalid: use lower-case letters, digits and _", in.Name)
		return
	case in.Label == "" || in.GroupName == "":
		badRequest(w, "label and groupName are required")
		return
	case !slices.Contains(propertyTypes, in.Type) || !slices.Contains(fieldTypes, in.FieldType):
		badRequest(w, "Unknown type %q or fieldType %q", in.Type, in.FieldType)
		return
	}
	opts, msg := options(in.Options, r)
	if msg != "" {
		badRequest(w, "Invalid options for %s: %s", in.Name, msg)
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
	if o.property(in.Name) != nil {
		writeError(w, http.StatusConflict, hsapi.CategoryExists, fmt.Sprintf("A property named '%s' already exists.", in.Name))
		return
	}
	now := s.now().UTC()
	p := &hsapi.Property{
		Name: in.Name, Label: in.Label, Type: in.Type, FieldType: in.FieldType, GroupName: in.GroupName,
		Description: in.Description, Options: opts, DisplayOrder: -1, Hidden: in.Hidden, FormField: in.FormField,
		HasUniqueValue: in.HasUniqueValue, ExternalOptions: in.ExternalOptions, ReferencedObjectType: in.ReferencedObjectType,
		CreatedAt: now, UpdatedAt: now,
		ModificationMetadata: &hsapi.ModificationMetadata{Archivable: true},
	}
	set(&p.DisplayOrder, in.DisplayOrder)
	o.Properties = append(o.Properties, p)
	if err := s.commit(); err != nil {
		writeError(w, http.StatusInternalServerError, hsapi.CategoryInternal, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

// subscriptionDefinitions answers the definitions in the shape of the
// request's version: v3 in subscriptionDefinitions, the date-based
// versions as an action response with results.
func (s *Sandbox) subscriptionDefinitions(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defs := s.state.SubscriptionDefinitions
	if defs == nil {
		defs = []hsapi.SubscriptionDefinition{}
	}
	if hsapi.Dated(r.PathValue("version")) {
		now := s.now().UTC()
		writeJSON(w, http.StatusOK, hsapi.DatedSubscriptionDefinitions{Status: hsapi.BatchComplete, Results: defs, StartedAt: now, CompletedAt: now})
		return
	}
	writeJSON(w, http.StatusOK, hsapi.SubscriptionDefinitions{SubscriptionDefinitions: defs})
}
