package sfapi

import (
	"encoding/json"
	"fmt"
)

// CollectionUpdate is the body of PATCH /composite/sobjects.
type CollectionUpdate struct {
	AllOrNone bool           `json:"allOrNone"`
	Records   []RecordUpdate `json:"records"`
}

// RecordUpdate is one record of a collection update. Fields maps a field
// API name to its new value; nil clears it (JSON null).
type RecordUpdate struct {
	Type   string
	ID     string
	Fields map[string]*string
}

// MarshalJSON writes {"attributes":{"type":T},"id":ID,<field>:<value>...}.
func (r RecordUpdate) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(r.Fields)+2)
	for k, v := range r.Fields {
		if k == "attributes" || k == "id" || k == "Id" {
			return nil, fmt.Errorf("record %s: field name %q is reserved", r.ID, k)
		}
		m[k] = v
	}
	m["attributes"] = Attributes{Type: r.Type}
	m["id"] = r.ID
	return json.Marshal(m)
}

// RecordResult is one entry of a collection update's answer, in request
// order: {"id": ..., "success": ..., "errors": [...]}. ID is empty for a
// record that failed.
type RecordResult struct {
	ID      string        `json:"id,omitempty"`
	Success bool          `json:"success"`
	Errors  []RecordError `json:"errors"`
}

// RecordError is why one record was not saved. Record errors name their
// code statusCode, not errorCode.
type RecordError struct {
	StatusCode string   `json:"statusCode"`
	Message    string   `json:"message"`
	Fields     []string `json:"fields"`
}
