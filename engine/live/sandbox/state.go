package sandbox

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// StateVersion is the version of the state and seed file format.
const StateVersion = 1

// State is the sandbox's whole state. The seed file has the same format;
// fields a seed leaves out (timestamps, modificationMetadata) get defaults.
type State struct {
	// Version is StateVersion; 0 in a seed means StateVersion.
	Version int `json:"version"`
	// Objects maps an object type (contacts, companies, ...) to its
	// properties and records.
	Objects map[string]*Object `json:"objects"`
	// SubscriptionDefinitions are the subscription types (read-only over
	// the API, as in HubSpot).
	SubscriptionDefinitions []hsapi.SubscriptionDefinition `json:"subscriptionDefinitions"`
	// WithheldScopes are scopes the token lacks (crm.schemas.contacts.write,
	// ...); it has every other. Calls that need one are refused with 403
	// MISSING_SCOPES, and token introspection does not list them.
	WithheldScopes []string `json:"withheldScopes,omitempty"`
	// Portal holds settings of the account that no API answer shows but
	// that change how it behaves.
	Portal *Portal `json:"portal,omitempty"`
}

// Portal is how the emulated HubSpot account behaves beyond its data.
type Portal struct {
	// SearchLag is how long a write takes to reach search: until then a
	// record is found, counted and returned by search as it was before
	// (HubSpot indexes CRM records asynchronously; 0 keeps search exact).
	SearchLag emulator.Duration `json:"searchLag,omitempty"`
	// SharedUse is how many requests of every rate-limit window other
	// integrations of the account spend: HubSpot's limits are the
	// account's, shared by all its apps.
	SharedUse int `json:"sharedUse,omitempty"`
	// RequiredProperties are the account's admin-configured required
	// properties, which HubSpot applies to API writes from version
	// 2026-09 (hsapi.ValidatedSince).
	RequiredProperties []RequiredProperty `json:"requiredProperties,omitempty"`
	// LifecycleBackward lets a direct write move a record's lifecycle
	// stage backwards. By default the sandbox ignores such a write, as
	// HubSpot does: the stage must be cleared first.
	LifecycleBackward bool `json:"lifecycleBackward,omitempty"`
}

// RequiredProperty makes a property required on a record of an object
// type whose values (after the write) hold every entry of When; with no
// When, on every record. A write through a date-based version from
// 2026-09 that would leave it empty is refused, record by record.
type RequiredProperty struct {
	Object   string            `json:"object"`
	Property string            `json:"property"`
	When     map[string]string `json:"when,omitempty"`
}

// Object is one object type: property definitions in HubSpot's Property
// shape, and records.
type Object struct {
	Properties []*hsapi.Property `json:"properties"`
	Records    []*Record         `json:"records"`

	byID map[string]*Record // Records by id, built on first use
}

// record finds a record by id. The API never adds or removes records, so
// the index built on first use stays true.
func (o *Object) record(id string) *Record {
	if len(o.byID) != len(o.Records) {
		o.byID = make(map[string]*Record, len(o.Records))
		for _, r := range o.Records {
			o.byID[r.ID] = r
		}
	}
	return o.byID[id]
}

// Record is one CRM record. A property absent or "" has no value.
type Record struct {
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
	CreatedAt  time.Time         `json:"createdAt,omitzero"`
	UpdatedAt  time.Time         `json:"updatedAt,omitzero"`

	// indexed is what search sees of the record until indexedAt, when
	// its latest write reaches the search index (Portal.SearchLag). It is
	// not kept in the state file: a sandbox opened again has caught up.
	indexed   map[string]string
	indexedAt time.Time
}

var (
	objectTypeRE   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	propertyNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	propertyTypes  = []string{"string", "number", "date", "datetime", "enumeration", "bool", "phone_number"}
	fieldTypes     = []string{"textarea", "text", "date", "file", "number", "select", "radio", "checkbox", "booleancheckbox", "calculation_equation", "html", "phonenumber"}
)

// emptyState has the four standard object types and nothing else.
func emptyState() *State {
	st := &State{Version: StateVersion, Objects: map[string]*Object{}}
	for _, o := range []string{"contacts", "companies", "deals", "tickets"} {
		st.Objects[o] = &Object{}
	}
	return st
}

// readState loads and checks a state or seed file.
func readState(path string, now time.Time) (*State, error) {
	return emulator.ReadState(path, func(st *State) error { return st.normalise(now) })
}

// normalise fills defaults and rejects what the API could never return.
func (st *State) normalise(now time.Time) error {
	if err := emulator.CheckVersion(&st.Version, StateVersion); err != nil {
		return err
	}
	err := emulator.NormaliseObjects(&st.Objects,
		func(name string) error {
			if !objectTypeRE.MatchString(name) {
				return fmt.Errorf("object type %q: want lower-case letters, digits and _", name)
			}
			return nil
		},
		func(name string, o *Object) error { return o.normalise(name, now) })
	if err != nil {
		return err
	}
	if err := st.Portal.check(st.Objects); err != nil {
		return err
	}
	ids := map[string]bool{}
	for i := range st.SubscriptionDefinitions {
		d := &st.SubscriptionDefinitions[i]
		if d.ID == "" || d.Name == "" || ids[d.ID] {
			return fmt.Errorf("subscription definition %d: id (unique) and name are required", i+1)
		}
		ids[d.ID] = true
		d.CreatedAt = orNow(d.CreatedAt, now)
		d.UpdatedAt = orNow(d.UpdatedAt, now)
	}
	return nil
}

// check refuses settings no account could have.
func (p *Portal) check(objects map[string]*Object) error {
	if p == nil {
		return nil
	}
	if p.SharedUse < 0 {
		return fmt.Errorf("portal: sharedUse must not be negative")
	}
	for i, r := range p.RequiredProperties {
		o := objects[r.Object]
		if o == nil {
			return fmt.Errorf("portal: required property %d: no object type %q", i+1, r.Object)
		}
		for _, name := range append(slices.Sorted(maps.Keys(r.When)), r.Property) {
			if o.property(name) == nil {
				return fmt.Errorf("portal: required property %d: no property %s on %s", i+1, name, r.Object)
			}
		}
	}
	return nil
}

func (o *Object) normalise(objectType string, now time.Time) error {
	names := map[string]bool{}
	for i, p := range o.Properties {
		if p == nil || !propertyNameRE.MatchString(p.Name) {
			return fmt.Errorf("%s property %d: name must match %s", objectType, i+1, propertyNameRE)
		}
		if names[p.Name] {
			return fmt.Errorf("%s property %q: defined twice", objectType, p.Name)
		}
		names[p.Name] = true
		if p.Label == "" {
			p.Label = p.Name
		}
		if p.Type == "" {
			p.Type = "string"
		}
		if p.FieldType == "" {
			p.FieldType = map[bool]string{true: "select", false: "text"}[p.Type == "enumeration"]
		}
		if !slices.Contains(propertyTypes, p.Type) || !slices.Contains(fieldTypes, p.FieldType) {
			return fmt.Errorf("%s property %q: unknown type %q or fieldType %q", objectType, p.Name, p.Type, p.FieldType)
		}
		if p.GroupName == "" {
			p.GroupName = singular(objectType) + "information"
		}
		if p.Options == nil {
			p.Options = []hsapi.Option{}
		}
		if msg := checkOptions(p.Options); msg != "" {
			return fmt.Errorf("%s property %q: %s", objectType, p.Name, msg)
		}
		if p.ModificationMetadata == nil {
			p.ModificationMetadata = &hsapi.ModificationMetadata{Archivable: !p.HubspotDefined}
		}
		p.CreatedAt = orNow(p.CreatedAt, now)
		p.UpdatedAt = orNow(p.UpdatedAt, now)
	}
	ids := map[string]bool{}
	for i, r := range o.Records {
		if r == nil || r.ID == "" || ids[r.ID] {
			return fmt.Errorf("%s record %d: id (unique) is required", objectType, i+1)
		}
		ids[r.ID] = true
		if r.Properties == nil {
			r.Properties = map[string]string{}
		}
		r.CreatedAt = orNow(r.CreatedAt, now)
		r.UpdatedAt = orNow(r.UpdatedAt, r.CreatedAt)
	}
	slices.SortStableFunc(o.Records, func(a, b *Record) int { return compareIDs(a.ID, b.ID) })
	return nil
}

// compareIDs orders numeric ids numerically (shorter first), then
// lexically.
func compareIDs(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
}

func singular(objectType string) string {
	switch objectType {
	case "companies":
		return "company"
	case "contacts", "deals", "tickets":
		return objectType[:len(objectType)-1]
	}
	return objectType
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

func (o *Object) property(name string) *hsapi.Property {
	for _, p := range o.Properties {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// checkOptions returns why HubSpot would refuse an option list, or "".
func checkOptions(opts []hsapi.Option) string {
	seen := map[string]bool{}
	for i, o := range opts {
		switch {
		case o.Value == "":
			return fmt.Sprintf("option %d has an empty value", i+1)
		case o.Label == "":
			return fmt.Sprintf("option %q has an empty label", o.Value)
		case seen[o.Value]:
			return fmt.Sprintf("option value %q is used more than once", o.Value)
		}
		seen[o.Value] = true
	}
	return ""
}
