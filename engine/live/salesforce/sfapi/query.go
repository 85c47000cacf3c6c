package sfapi

import "encoding/json"

// QueryResult is one page of a SOQL query (data or Tooling). When Done is
// false, NextRecordsURL (a path such as
// /services/data/v62.0/query/01gxx-2000) fetches the next page.
type QueryResult struct {
	TotalSize      int               `json:"totalSize"`
	Done           bool              `json:"done"`
	NextRecordsURL string            `json:"nextRecordsUrl,omitempty"`
	EntityTypeName string            `json:"entityTypeName,omitempty"`
	Records        []json.RawMessage `json:"records"`
}

// Attributes is the "attributes" member of every record.
type Attributes struct {
	Type string `json:"type"`
	URL  string `json:"url,omitempty"`
}

// ToolingRow is a row of the Tooling queries mops sends to find Ids:
// CustomField, CustomObject, GlobalValueSet and StandardValueSet.
type ToolingRow struct {
	Attributes      *Attributes `json:"attributes,omitempty"`
	ID              string      `json:"Id"`
	DeveloperName   string      `json:"DeveloperName,omitempty"`
	NamespacePrefix *string     `json:"NamespacePrefix,omitempty"`
	TableEnumOrID   string      `json:"TableEnumOrId,omitempty"`
	MasterLabel     string      `json:"MasterLabel,omitempty"`
}

// CountAlias is the name SOQL gives the first unnamed aggregate, as in
// SELECT LeadSource, COUNT(Id) ... → {"LeadSource": "Web", "expr0": 12}.
const CountAlias = "expr0"
