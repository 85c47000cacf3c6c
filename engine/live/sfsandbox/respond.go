package sfsandbox

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`[{"message":"encode response","errorCode":"UNKNOWN_EXCEPTION"}]`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// writeError answers with Salesforce's error array holding one error.
func writeError(w http.ResponseWriter, status int, code, message string, fields ...string) {
	writeJSON(w, status, []sfapi.Error{{Message: message, ErrorCode: code, Fields: fields}})
}

func badRequest(w http.ResponseWriter, code, format string, args ...any) {
	writeError(w, http.StatusBadRequest, code, fmt.Sprintf(format, args...))
}

// notFound is Salesforce's answer for an unknown resource.
func notFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, sfapi.CodeNotFound, "The requested resource does not exist")
}

// decodeBody reads a JSON request body into v, refusing unknown members at
// its top level as Salesforce does (JSON_PARSER_ERROR).
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		badRequest(w, sfapi.CodeJSONParser, "Unable to parse the request body: %v", err)
		return false
	}
	return true
}
