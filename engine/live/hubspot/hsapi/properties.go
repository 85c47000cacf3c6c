package hsapi

import "time"

// Option is an enumeration option (schemas Option and OptionInput).
type Option struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	Description  string `json:"description"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// ModificationMetadata says what the API may change (schema
// PropertyModificationMetadata).
type ModificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
	ReadOnlyOptions    bool `json:"readOnlyOptions"`
}

// Property is a property definition (schema Property).
type Property struct {
	Name                 string                `json:"name"`
	Label                string                `json:"label"`
	Type                 string                `json:"type"`
	FieldType            string                `json:"fieldType"`
	GroupName            string                `json:"groupName"`
	Description          string                `json:"description"`
	Options              []Option              `json:"options"`
	DisplayOrder         int                   `json:"displayOrder"`
	Hidden               bool                  `json:"hidden"`
	FormField            bool                  `json:"formField"`
	HasUniqueValue       bool                  `json:"hasUniqueValue"`
	HubspotDefined       bool                  `json:"hubspotDefined"`
	Calculated           bool                  `json:"calculated"`
	ExternalOptions      bool                  `json:"externalOptions"`
	Archived             bool                  `json:"archived"`
	ReferencedObjectType string                `json:"referencedObjectType,omitempty"`
	CreatedAt            time.Time             `json:"createdAt,omitzero"`
	UpdatedAt            time.Time             `json:"updatedAt,omitzero"`
	ArchivedAt           time.Time             `json:"archivedAt,omitzero"`
	ModificationMetadata *ModificationMetadata `json:"modificationMetadata,omitempty"`
}

// PropertyList is the answer of GET /crm/v3/properties/{objectType}
// (schema CollectionResponsePropertyNoPaging).
type PropertyList struct {
	Results []Property `json:"results"`
}

// PropertyOptionsUpdate is the PATCH body mops sends (a PropertyUpdate with
// only options): HubSpot replaces the whole option list with it.
type PropertyOptionsUpdate struct {
	Options []Option `json:"options"`
}

// PropertyCreate is the POST body that creates a property (schema
// PropertyCreate).
type PropertyCreate struct {
	Name      string   `json:"name"`
	Label     string   `json:"label"`
	Type      string   `json:"type"`
	FieldType string   `json:"fieldType"`
	GroupName string   `json:"groupName"`
	Options   []Option `json:"options"`
	FormField bool     `json:"formField"`
}
