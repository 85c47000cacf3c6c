package sandbox

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// newUUID returns a random version-4 UUID, HubSpot's correlation id form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"status":"error","message":"encode response","category":"INTERNAL_ERROR"}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// writeError answers with HubSpot's error body. The correlation id is the
// one ServeHTTP put in the response header.
func writeError(w http.ResponseWriter, status int, category, message string, details ...hsapi.ErrorDetail) {
	writeJSON(w, status, hsapi.Error{
		Status:        "error",
		Message:       message,
		CorrelationID: w.Header().Get(hsapi.HeaderCorrelationID),
		Category:      category,
		Errors:        details,
	})
}

// writeRateLimit answers 429 as HubSpot does, with Retry-After when
// retryAfter > 0.
func writeRateLimit(w http.ResponseWriter, policy string, retryAfter int) {
	if retryAfter > 0 {
		w.Header().Set(hsapi.HeaderRetryAfter, strconv.Itoa(retryAfter))
	}
	cid := w.Header().Get(hsapi.HeaderCorrelationID)
	writeJSON(w, http.StatusTooManyRequests, hsapi.Error{
		Status:        "error",
		Message:       fmt.Sprintf("You have reached your %s limit.", strings.ToLower(policy)),
		CorrelationID: cid,
		Category:      hsapi.CategoryRateLimits,
		ErrorType:     hsapi.ErrorTypeRateLimit,
		PolicyName:    policy,
		RequestID:     cid,
	})
}

func badRequest(w http.ResponseWriter, format string, args ...any) {
	writeError(w, http.StatusBadRequest, hsapi.CategoryValidation, fmt.Sprintf(format, args...))
}

func notFound(w http.ResponseWriter, format string, args ...any) {
	writeError(w, http.StatusNotFound, hsapi.CategoryNotFound, fmt.Sprintf(format, args...))
}

// decodeBody reads a JSON request body into v, refusing unknown fields
// (HubSpot is more lenient; the sandbox is strict so that client mistakes
// show up in tests).
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		badRequest(w, "Invalid input JSON: %v", err)
		return false
	}
	return true
}
