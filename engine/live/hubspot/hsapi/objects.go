package hsapi

import "time"

// Search operators mops and the sandbox use.
const (
	OpEQ               = "EQ"
	OpNEQ              = "NEQ"
	OpGT               = "GT"
	OpIN               = "IN"
	OpNotIN            = "NOT_IN"
	OpHasProperty      = "HAS_PROPERTY"
	OpNotHasProperty   = "NOT_HAS_PROPERTY"
	OpContainsToken    = "CONTAINS_TOKEN"
	OpNotContainsToken = "NOT_CONTAINS_TOKEN"
	OpGTE              = "GTE"
	OpLT               = "LT"
	OpLTE              = "LTE"
)

// PropertyObjectID is every record's id as a property, which search can
// filter and sort on.
const PropertyObjectID = "hs_object_id"

// Sort directions.
const (
	Ascending  = "ASCENDING"
	Descending = "DESCENDING"
)

// Sort orders search results, as HubSpot's search guide documents it
// ("Search the CRM", sorting: one rule, {"propertyName", "direction"});
// the OpenAPI files type sorts as strings, and where the two disagree mops
// follows the guide.
type Sort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction,omitempty"`
}

// Filter is one search condition (schema Filter).
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value,omitempty"`
	Values       []string `json:"values,omitempty"`
	HighValue    string   `json:"highValue,omitempty"`
}

// FilterGroup ANDs its filters; groups are ORed (schema FilterGroup).
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// SearchRequest is the body of POST /crm/v3/objects/{objectType}/search
// (schema PublicObjectSearchRequest; every field but query is required).
type SearchRequest struct {
	FilterGroups []FilterGroup `json:"filterGroups"`
	Sorts        []Sort        `json:"sorts"`
	Properties   []string      `json:"properties"`
	Limit        int           `json:"limit"`
	After        string        `json:"after"`
	Query        string        `json:"query,omitempty"`
}

// Object is a CRM record (schema SimplePublicObject).
type Object struct {
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"`
	CreatedAt  time.Time          `json:"createdAt"`
	UpdatedAt  time.Time          `json:"updatedAt"`
	Archived   bool               `json:"archived"`
}

// NextPage points at the next page (schema NextPage).
type NextPage struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

// Paging wraps NextPage (schema ForwardPaging).
type Paging struct {
	Next *NextPage `json:"next,omitempty"`
}

// SearchResponse is a search answer (schema
// CollectionResponseWithTotalSimplePublicObjectForwardPaging).
type SearchResponse struct {
	Total   int      `json:"total"`
	Results []Object `json:"results"`
	Paging  *Paging  `json:"paging,omitempty"`
}

// BatchInput is one record update (schema SimplePublicObjectBatchInput).
type BatchInput struct {
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
}

// BatchUpdateRequest is the body of POST
// /crm/v3/objects/{objectType}/batch/update (schema
// BatchInputSimplePublicObjectBatchInput).
type BatchUpdateRequest struct {
	Inputs []BatchInput `json:"inputs"`
}

// Batch statuses.
const (
	BatchComplete = "COMPLETE"
)

// BatchResponse is the answer of a batch update: 200 (schema
// BatchResponseSimplePublicObject) or 207 with errors (schema
// BatchResponseSimplePublicObjectWithErrors).
type BatchResponse struct {
	Status      string          `json:"status"`
	Results     []Object        `json:"results"`
	RequestedAt time.Time       `json:"requestedAt,omitzero"`
	StartedAt   time.Time       `json:"startedAt"`
	CompletedAt time.Time       `json:"completedAt"`
	NumErrors   int             `json:"numErrors,omitempty"`
	Errors      []StandardError `json:"errors,omitempty"`
}

// StandardError is one error inside a batch answer (schema StandardError;
// all but id and subCategory are required).
type StandardError struct {
	Status   string              `json:"status"`
	Category string              `json:"category"`
	Message  string              `json:"message"`
	Context  map[string][]string `json:"context"`
	Errors   []ErrorDetail       `json:"errors"`
	Links    map[string]string   `json:"links"`
	ID       string              `json:"id,omitempty"`
}
