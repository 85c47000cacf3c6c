package sfapi

// CustomField is a Tooling CustomField record as GET returns it.
type CustomField struct {
	Attributes    *Attributes         `json:"attributes,omitempty"`
	ID            string              `json:"Id,omitempty"`
	FullName      string              `json:"FullName"`
	DeveloperName string              `json:"DeveloperName,omitempty"`
	TableEnumOrID string              `json:"TableEnumOrId,omitempty"`
	Metadata      CustomFieldMetadata `json:"Metadata"`
}

// CustomFieldMetadata is the Metadata of a CustomField. Type is
// "Picklist" or "MultiselectPicklist" for picklists.
type CustomFieldMetadata struct {
	Label    string    `json:"label"`
	Type     string    `json:"type"`
	ValueSet *ValueSet `json:"valueSet"`
	Extra    Extra     `json:"-"`
}

// Metadata field types of picklists.
const (
	MetadataPicklist      = "Picklist"
	MetadataMultiPicklist = "MultiselectPicklist"
)

// ValueSet is a field's values: its own (ValueSetDefinition) or a global
// value set's (ValueSetName).
type ValueSet struct {
	ControllingField   *string             `json:"controllingField"`
	Restricted         *bool               `json:"restricted"`
	ValueSetName       *string             `json:"valueSetName"`
	ValueSetDefinition *ValueSetDefinition `json:"valueSetDefinition"`
	Extra              Extra               `json:"-"`
}

// GlobalName is the global value set the field uses, "" for none.
func (v *ValueSet) GlobalName() string {
	if v == nil || v.ValueSetName == nil {
		return ""
	}
	return *v.ValueSetName
}

// ValueSetDefinition is a field's own list of values.
type ValueSetDefinition struct {
	Sorted bool          `json:"sorted"`
	Value  []CustomValue `json:"value"`
	Extra  Extra         `json:"-"`
}

// CustomValue is one picklist value as the Tooling API shapes it
// ("CustomValue Metadata": color, default, description, isActive, label,
// urls, valueName; StandardValue adds fields kept in Extra, such as
// converted or closed). ValueName is the API name records store: the
// Tooling API calls it valueName where the Metadata API's XML calls it
// fullName (Tooling API reference, GlobalValueSet, "CustomValue Metadata":
// https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_globalvalueset.htm).
// IsActive nil means active.
type CustomValue struct {
	ValueName   string  `json:"valueName"`
	Label       string  `json:"label"`
	Default     bool    `json:"default"`
	IsActive    *bool   `json:"isActive"`
	Description *string `json:"description"`
	Color       *string `json:"color"`
	Extra       Extra   `json:"-"`
}

// Active reports whether the value is active (nil counts as active).
func (v *CustomValue) Active() bool { return v.IsActive == nil || *v.IsActive }

// GlobalValueSet is a Tooling GlobalValueSet record.
type GlobalValueSet struct {
	Attributes *Attributes            `json:"attributes,omitempty"`
	ID         string                 `json:"Id,omitempty"`
	FullName   string                 `json:"FullName"`
	Metadata   GlobalValueSetMetadata `json:"Metadata"`
}

// GlobalValueSetMetadata is the Metadata of a GlobalValueSet.
type GlobalValueSetMetadata struct {
	MasterLabel string        `json:"masterLabel"`
	Description *string       `json:"description"`
	Sorted      bool          `json:"sorted"`
	CustomValue []CustomValue `json:"customValue"`
	Extra       Extra         `json:"-"`
}

// StandardValueSet is a Tooling StandardValueSet record (LeadSource,
// LeadStatus, ...).
type StandardValueSet struct {
	Attributes  *Attributes              `json:"attributes,omitempty"`
	ID          string                   `json:"Id,omitempty"`
	FullName    string                   `json:"FullName"`
	MasterLabel string                   `json:"MasterLabel,omitempty"`
	Metadata    StandardValueSetMetadata `json:"Metadata"`
}

// StandardValueSetMetadata is the Metadata of a StandardValueSet.
type StandardValueSetMetadata struct {
	Sorted        bool          `json:"sorted"`
	StandardValue []CustomValue `json:"standardValue"`
	Extra         Extra         `json:"-"`
}

// MetadataWrite is the body of a Tooling PATCH or POST: the full name and
// the full, edited Metadata.
type MetadataWrite[M any] struct {
	FullName string `json:"FullName"`
	Metadata M      `json:"Metadata"`
}

// SaveResult answers a Tooling POST: {"id", "success", "errors"}.
type SaveResult struct {
	ID      string  `json:"id"`
	Success bool    `json:"success"`
	Errors  []Error `json:"errors"`
}

// KnownValueMember reports whether name is a member a picklist value has
// in the Tooling API: CustomValue's (color, default, description,
// isActive, label, urls, valueName) or one a StandardValue adds for the
// standard sets that use it (allowEmail, closed, converted, cssExposed,
// forecastCategory, groupingString, highPriority, probability,
// reverseRole, reviewed, won). fullName is not one: it is the Metadata
// API's XML name for valueName.
func KnownValueMember(name string) bool {
	switch name {
	case "color", "default", "description", "isActive", "label", "urls", "valueName",
		"allowEmail", "closed", "converted", "cssExposed", "forecastCategory", "groupingString",
		"highPriority", "probability", "reverseRole", "reviewed", "won":
		return true
	}
	return false
}
