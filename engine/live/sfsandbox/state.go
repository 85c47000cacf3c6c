package sfsandbox

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// StateVersion is the version of the state and seed file format.
const StateVersion = 1

// State is the emulator's whole state. A seed file has the same format;
// what a seed leaves out (Ids, labels, isActive) gets defaults.
type State struct {
	// Version is StateVersion; 0 in a seed means StateVersion.
	Version int `json:"version"`
	// Objects maps an sObject API name (Lead, Region__c) to its fields and
	// records.
	Objects map[string]*Object `json:"objects"`
	// GlobalValueSets are the org's global value sets.
	GlobalValueSets []*GlobalValueSet `json:"globalValueSets"`
	// StandardValueSets hold the values of standard picklists
	// (LeadSource, LeadStatus, ...).
	StandardValueSets []*StandardValueSet `json:"standardValueSets"`
	// User is the org's integration user, whom every token is for; when
	// absent, a user with every permission.
	User *User `json:"user,omitempty"`
	// ValidationRules refuse record updates, as an org's validation
	// rules, triggers and flows do.
	ValidationRules []*ValidationRule `json:"validationRules,omitempty"`
}

// ValidationRule refuses an update the way an org's validation rule (or a
// trigger or flow) does: an update that sets Field on a record of Object
// whose fields hold every value of When (compared without case) fails
// with FIELD_CUSTOM_VALIDATION_EXCEPTION and Message, and the other
// records of the call are written.
type ValidationRule struct {
	Name    string            `json:"name"`
	Object  string            `json:"object"`
	Field   string            `json:"field"`
	When    map[string]string `json:"when,omitempty"`
	Message string            `json:"message"`
}

// User is the user the sandbox's tokens act as.
type User struct {
	ID       string `json:"id,omitempty"`
	Username string `json:"username,omitempty"`
	// Withheld names the system permissions the user lacks, as
	// UserPermissionAccess names them without "Permissions"
	// (ViewSetup, ViewAllData, ModifyMetadata, CustomizeApplication,
	// ViewEditConvertedLeads); the user has every other permission.
	// Without ViewAllData, queries see no Private record; without
	// ViewEditConvertedLeads, a converted Lead refuses updates
	// (CANNOT_UPDATE_CONVERTED_LEAD).
	Withheld []string `json:"withheld,omitempty"`
}

// holds reports whether u (nil: the default user) has the permission.
func (u *User) holds(permission string) bool {
	return u == nil || !slices.Contains(u.Withheld, permission)
}

// The default user's Id and username.
const (
	defaultUserID   = "005000000000001AAA"
	defaultUsername = "mops@sandbox.example"
)

// Object is one sObject. Its Id field is implicit.
type Object struct {
	Label string `json:"label,omitempty"`
	// ID is the CustomObject Tooling Id of a custom object (Name__c).
	ID      string    `json:"id,omitempty"`
	Fields  []*Field  `json:"fields"`
	Records []*Record `json:"records"`

	byID map[string]*Record // Records by id, built on first use
}

// Field is one field. A name ending in __c is a custom field.
//
//	picklist kind              set
//	custom, own values         Values (and Restricted, Sorted)
//	custom, global value set   ValueSetName
//	standard                   StandardValueSet
type Field struct {
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	// Type is a describe type: picklist, multipicklist, string, email, ...
	// Default string.
	Type string `json:"type,omitempty"`
	// ID is the CustomField Tooling Id (custom fields).
	ID string `json:"id,omitempty"`
	// ReadOnly makes record values not updateable.
	ReadOnly bool `json:"readOnly,omitempty"`
	// Restricted refuses record values that are not active values. Fields
	// bound to a global value set are always restricted.
	Restricted       bool                `json:"restricted,omitempty"`
	Sorted           bool                `json:"sorted,omitempty"`
	Values           []sfapi.CustomValue `json:"values,omitempty"`
	ValueSetName     string              `json:"valueSetName,omitempty"`
	StandardValueSet string              `json:"standardValueSet,omitempty"`
}

// Record is one record: field API name → value; absent or "" is null.
// Multi-select values are ';'-separated; a boolean is "true" or null
// (false).
type Record struct {
	ID     string            `json:"id"`
	Fields map[string]string `json:"fields"`
	// Private records are shared away from the integration user: without
	// View All Data it neither sees nor updates them.
	Private bool `json:"private,omitempty"`
}

// isConverted is the Lead field that marks a converted lead.
const isConverted = "IsConverted"

// converted reports whether r is a converted lead.
func (r *Record) converted() bool { return r.Fields[isConverted] == "true" }

// GlobalValueSet is a global value set.
type GlobalValueSet struct {
	ID          string              `json:"id,omitempty"`
	FullName    string              `json:"fullName"`
	MasterLabel string              `json:"masterLabel,omitempty"`
	Description string              `json:"description,omitempty"`
	Sorted      bool                `json:"sorted,omitempty"`
	Values      []sfapi.CustomValue `json:"customValue"`
}

// StandardValueSet is a standard value set.
type StandardValueSet struct {
	ID       string              `json:"id,omitempty"`
	FullName string              `json:"fullName"`
	Sorted   bool                `json:"sorted,omitempty"`
	Values   []sfapi.CustomValue `json:"standardValue"`
}

var nameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

//go:embed default-state.json
var defaultStateJSON []byte

// defaultState is the state of a sandbox opened without a seed: Lead,
// Contact, Account, Opportunity and Campaign with their common standard
// picklists and Salesforce's default values, and no records.
func defaultState() (*State, error) {
	st := &State{}
	if err := json.Unmarshal(defaultStateJSON, st); err != nil {
		return nil, fmt.Errorf("default state: %w", err)
	}
	if err := st.normalise(); err != nil {
		return nil, fmt.Errorf("default state: %w", err)
	}
	return st, nil
}

// readState loads and checks a state or seed file.
func readState(path string) (*State, error) { return emulator.ReadState(path, (*State).normalise) }

// makeID derives a stable 18-character Salesforce-style Id from a key.
func makeID(prefix, key string) string {
	sum := sha256.Sum256([]byte(key))
	return prefix + strings.ToUpper(hex.EncodeToString(sum[:]))[:12] + "AAA"
}

// Key prefixes of the Ids the emulator makes.
const (
	prefixCustomField  = "00N"
	prefixCustomObject = "01I"
	prefixGlobal       = "0Nt"
	prefixStandard     = "0Ns" // VERIFY: the real prefix is undocumented
)

func isCustom(name string) bool { return strings.HasSuffix(name, "__c") }

// normalise fills defaults and rejects what Salesforce could never hold.
func (st *State) normalise() error {
	if err := emulator.CheckVersion(&st.Version, StateVersion); err != nil {
		return err
	}
	if st.User != nil {
		for _, p := range st.User.Withheld {
			if !nameRE.MatchString(p) {
				return fmt.Errorf("user: withheld permission %q is not a permission name", p)
			}
		}
	}
	globals := map[string]bool{}
	for i, g := range st.GlobalValueSets {
		if g == nil || !nameRE.MatchString(g.FullName) || globals[strings.ToLower(g.FullName)] {
			return fmt.Errorf("global value set %d: fullName must be a unique API name", i+1)
		}
		globals[strings.ToLower(g.FullName)] = true
		g.ID = cmp.Or(g.ID, makeID(prefixGlobal, g.FullName))
		g.MasterLabel = cmp.Or(g.MasterLabel, g.FullName)
		if err := normaliseValues(g.Values); err != nil {
			return fmt.Errorf("global value set %s: %w", g.FullName, err)
		}
		if len(g.Values) > sfapi.MaxGlobalValues {
			return fmt.Errorf("global value set %s: %d values, at most %d", g.FullName, len(g.Values), sfapi.MaxGlobalValues)
		}
	}
	standards := map[string]bool{}
	for i, s := range st.StandardValueSets {
		if s == nil || !nameRE.MatchString(s.FullName) || standards[s.FullName] {
			return fmt.Errorf("standard value set %d: fullName must be a unique API name", i+1)
		}
		standards[s.FullName] = true
		s.ID = cmp.Or(s.ID, makeID(prefixStandard, s.FullName))
		if len(s.Values) == 0 {
			return fmt.Errorf("standard value set %s: needs at least one value", s.FullName)
		}
		if err := normaliseValues(s.Values); err != nil {
			return fmt.Errorf("standard value set %s: %w", s.FullName, err)
		}
	}
	err := emulator.NormaliseObjects(&st.Objects,
		func(name string) error {
			if !nameRE.MatchString(name) {
				return fmt.Errorf("object %q: not an API name", name)
			}
			return nil
		},
		func(name string, o *Object) error {
			if err := o.normalise(name, globals, standards); err != nil {
				return fmt.Errorf("object %s: %w", name, err)
			}
			return nil
		})
	if err != nil {
		return err
	}
	for i, r := range st.ValidationRules {
		if err := st.checkRule(r); err != nil {
			return fmt.Errorf("validation rule %d: %w", i+1, err)
		}
	}
	return nil
}

// checkRule refuses a rule that names no field of its object.
func (st *State) checkRule(r *ValidationRule) error {
	if r == nil || r.Name == "" || r.Message == "" {
		return fmt.Errorf("name and message are required")
	}
	o := st.Objects[r.Object]
	if o == nil {
		return fmt.Errorf("%s: no object %q", r.Name, r.Object)
	}
	for _, f := range append(slices.Sorted(maps.Keys(r.When)), r.Field) {
		if o.field(f) == nil {
			return fmt.Errorf("%s: no field %s on %s", r.Name, f, r.Object)
		}
	}
	return nil
}

func (o *Object) normalise(name string, globals, standards map[string]bool) error {
	o.Label = cmp.Or(o.Label, name)
	if name == "Lead" && o.field(isConverted) == nil {
		// Every org's Lead has it; mops filters on it.
		o.Fields = append(o.Fields, &Field{Name: isConverted, Label: "Converted", Type: sfapi.FieldBoolean, ReadOnly: true})
	}
	if isCustom(name) {
		o.ID = cmp.Or(o.ID, makeID(prefixCustomObject, name))
	}
	seen := map[string]bool{"id": true}
	for i, f := range o.Fields {
		if f == nil || !nameRE.MatchString(f.Name) || seen[strings.ToLower(f.Name)] {
			return fmt.Errorf("field %d: name must be a unique API name other than Id", i+1)
		}
		seen[strings.ToLower(f.Name)] = true
		if err := f.normalise(name, globals, standards); err != nil {
			return fmt.Errorf("field %s: %w", f.Name, err)
		}
	}
	ids := map[string]bool{}
	for i, r := range o.Records {
		if r == nil || r.ID == "" || ids[r.ID] {
			return fmt.Errorf("record %d: id must be unique and not empty", i+1)
		}
		ids[r.ID] = true
		for k, v := range r.Fields {
			f := o.field(k)
			switch {
			case f == nil:
				return fmt.Errorf("record %s: no field %s", r.ID, k)
			case f.Type == sfapi.FieldBoolean && v != "true" && v != "false" && v != "":
				return fmt.Errorf("record %s: %s is a boolean: true or false, not %q", r.ID, k, v)
			case f.Type == sfapi.FieldBoolean && v != "true":
				delete(r.Fields, k) // false is stored as null
			}
		}
		if r.Fields == nil {
			r.Fields = map[string]string{}
		}
	}
	return nil
}

func (f *Field) normalise(object string, globals, standards map[string]bool) error {
	f.Label = cmp.Or(f.Label, f.Name)
	f.Type = cmp.Or(f.Type, "string")
	custom := isCustom(f.Name)
	if custom {
		f.ID = cmp.Or(f.ID, makeID(prefixCustomField, object+"."+f.Name))
	}
	if f.Type != sfapi.FieldPicklist && f.Type != sfapi.FieldMultiPicklist {
		if len(f.Values) > 0 || f.ValueSetName != "" || f.StandardValueSet != "" {
			return fmt.Errorf("a %s field has no values", f.Type)
		}
		return nil
	}
	switch {
	case !custom:
		if f.StandardValueSet == "" || !standards[f.StandardValueSet] || f.ValueSetName != "" || len(f.Values) > 0 {
			return fmt.Errorf("a standard picklist needs standardValueSet naming a standard value set, and nothing else")
		}
	case f.ValueSetName != "":
		if !globals[strings.ToLower(f.ValueSetName)] || len(f.Values) > 0 || f.StandardValueSet != "" {
			return fmt.Errorf("valueSetName must name a global value set, without values of its own")
		}
		f.Restricted = true
	default:
		if f.StandardValueSet != "" {
			return fmt.Errorf("a custom field cannot use a standard value set")
		}
		return normaliseValues(f.Values)
	}
	return nil
}

// normaliseValues checks values and makes isActive explicit. A value is
// named valueName, as the Tooling API names it; a seed or state written
// before mops spoke Tooling's shape names it fullName (the Metadata API's
// name), which is taken as valueName and written back as such.
func normaliseValues(vals []sfapi.CustomValue) error {
	seen := map[string]bool{}
	for i := range vals {
		v := &vals[i]
		if legacy, ok := v.Extra["fullName"]; ok {
			if v.ValueName == "" && json.Unmarshal(legacy, &v.ValueName) != nil {
				return fmt.Errorf("value %d: fullName is not a string", i+1)
			}
			delete(v.Extra, "fullName")
		}
		key := strings.ToLower(v.ValueName)
		if strings.TrimSpace(v.ValueName) == "" || seen[key] {
			return fmt.Errorf("value %d: valueName must be unique (ignoring case) and not empty", i+1)
		}
		seen[key] = true
		v.Label = cmp.Or(v.Label, v.ValueName)
		v.IsActive = new(v.Active())
	}
	return nil
}

func (o *Object) field(name string) *Field {
	for _, f := range o.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
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

func (st *State) global(name string) *GlobalValueSet {
	for _, g := range st.GlobalValueSets {
		if strings.EqualFold(g.FullName, name) {
			return g
		}
	}
	return nil
}

func (st *State) standard(name string) *StandardValueSet {
	for _, s := range st.StandardValueSets {
		if s.FullName == name {
			return s
		}
	}
	return nil
}

// values returns a picklist field's values, wherever they live.
func (st *State) values(f *Field) []sfapi.CustomValue {
	switch {
	case f.ValueSetName != "":
		if g := st.global(f.ValueSetName); g != nil {
			return g.Values
		}
	case f.StandardValueSet != "":
		if s := st.standard(f.StandardValueSet); s != nil {
			return s.Values
		}
	}
	return f.Values
}

// restricted reports whether records may hold only active values.
func (st *State) restricted(f *Field) bool { return f.Restricted || f.ValueSetName != "" }
