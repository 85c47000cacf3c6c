package live

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrNotFound: the object type or property does not exist.
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: the token is missing, wrong or lacks a scope.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrRateLimited: the system refused the request for its rate limit.
	ErrRateLimited = errors.New("rate limited")
	// ErrReadOnly: the system does not allow the change through its API.
	ErrReadOnly = errors.New("read-only")
	// ErrStale: live state moved since the plan was made.
	ErrStale = errors.New("live state changed since plan")
	// ErrUnsupported: the provider cannot do this (yet).
	ErrUnsupported = errors.New("unsupported")
)

// APIError is an error response from a live system's API. It never holds
// credentials: providers redact the token from every field.
type APIError struct {
	// System is the Project system name.
	System string
	// Method and Path identify the request (path without query string).
	Method, Path string
	// Status is the HTTP status code.
	Status int
	// Category is the vendor's error category, e.g. VALIDATION_ERROR.
	Category string
	// SubCategory is the vendor's finer category, if any.
	SubCategory string
	// Message is the vendor's human-readable message.
	Message string
	// CorrelationID identifies the request in the vendor's support tools.
	CorrelationID string
	// PolicyName names the rate-limit policy of a 429 (HubSpot: DAILY,
	// TEN_SECONDLY_ROLLING, SECONDLY).
	PolicyName string
	// Details are the vendor's per-field messages.
	Details []string
}

// Error renders the error with its request and correlation id.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.System != "" {
		b.WriteString(e.System + ": ")
	}
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.Status)
	if e.Category != "" {
		b.WriteString(" " + e.Category)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if len(e.Details) > 0 {
		b.WriteString(" (" + strings.Join(e.Details, "; ") + ")")
	}
	if e.CorrelationID != "" {
		b.WriteString(" [correlationId " + e.CorrelationID + "]")
	}
	return b.String()
}

// categoryRequestLimit is Salesforce's errorCode for a refused request
// (403): the daily allocation or the concurrent-request cap.
const categoryRequestLimit = "REQUEST_LIMIT_EXCEEDED"

// Is maps status codes onto the sentinel errors.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == 404
	case ErrUnauthorized:
		return e.Status == 401 || (e.Status == 403 && e.Category != categoryRequestLimit)
	case ErrRateLimited:
		return e.Status == 429 || e.Category == categoryRequestLimit
	}
	return false
}

// StaleError says a bound property moved since the plan read it.
type StaleError struct {
	Binding Binding
	// Want is the fingerprint the plan read; Got is live's now.
	Want, Got string
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("%s changed since plan (fingerprint %s, now %s)", e.Binding, short(e.Want), short(e.Got))
}

// Is reports ErrStale.
func (e *StaleError) Is(target error) bool { return target == ErrStale }

// ReadOnlyError says the system does not let the API make a change.
type ReadOnlyError struct {
	Binding Binding
	// What is the part that is read-only, e.g. "options".
	What string
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("%s: %s are read-only in the live system", e.Binding, e.What)
}

// Is reports ErrReadOnly.
func (e *ReadOnlyError) Is(target error) bool { return target == ErrReadOnly }

func short(fp string) string {
	const n = len("sha256:") + 12
	if len(fp) > n {
		return fp[:n]
	}
	return fp
}
