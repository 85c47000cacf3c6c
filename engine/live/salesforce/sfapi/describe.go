package sfapi

// SObjectDescribe is the part of GET /sobjects/{object}/describe mops reads.
type SObjectDescribe struct {
	Name   string  `json:"name"`
	Label  string  `json:"label"`
	Custom bool    `json:"custom"`
	Fields []Field `json:"fields"`
}

// Field is one field of a describe. Type is "picklist" or "multipicklist"
// for picklists; other types (string, email, id, ...) carry no values.
type Field struct {
	Name               string          `json:"name"`
	Label              string          `json:"label"`
	Type               string          `json:"type"`
	Custom             bool            `json:"custom"`
	Updateable         bool            `json:"updateable"`
	Nillable           bool            `json:"nillable"`
	RestrictedPicklist bool            `json:"restrictedPicklist"`
	DependentPicklist  bool            `json:"dependentPicklist"`
	ControllerName     *string         `json:"controllerName"`
	PicklistValues     []PicklistEntry `json:"picklistValues"`
}

// Field types mops reads: picklists, and the boolean IsConverted of Lead.
const (
	FieldPicklist      = "picklist"
	FieldMultiPicklist = "multipicklist"
	FieldBoolean       = "boolean"
)

// IsPicklist reports whether the field holds picklist values.
func (f *Field) IsPicklist() bool {
	return f.Type == FieldPicklist || f.Type == FieldMultiPicklist
}

// PicklistEntry is one value as describe shows it. Describe lists active
// values only (in the emulator; VERIFY on an org), so mops reads values
// from the Tooling objects instead.
type PicklistEntry struct {
	Value        string  `json:"value"`
	Label        string  `json:"label"`
	Active       bool    `json:"active"`
	DefaultValue bool    `json:"defaultValue"`
	ValidFor     *string `json:"validFor"`
}

// Field returns the field with the given API name.
func (d *SObjectDescribe) Field(name string) (*Field, bool) {
	for i := range d.Fields {
		if d.Fields[i].Name == name {
			return &d.Fields[i], true
		}
	}
	return nil, false
}
