package hsapi

// Error categories the sandbox returns and the client recognises.
const (
	CategoryValidation   = "VALIDATION_ERROR"
	CategoryNotFound     = "OBJECT_NOT_FOUND"
	CategoryExists       = "OBJECT_ALREADY_EXISTS"
	CategoryUnauthorized = "INVALID_AUTHENTICATION"
	CategoryRateLimits   = "RATE_LIMITS"
	CategoryInternal     = "INTERNAL_ERROR"
	// CategoryExpiredAuthentication: an OAuth access token expired.
	CategoryExpiredAuthentication = "EXPIRED_AUTHENTICATION"
	// CategoryMissingScopes: 403, the token lacks a scope the call needs;
	// the first error's context.requiredGranularScopes names them.
	CategoryMissingScopes = "MISSING_SCOPES"
)

// Rate-limit answers: errorType and policyName values.
const (
	ErrorTypeRateLimit = "RATE_LIMIT"
	PolicyDaily        = "DAILY"
	PolicyTenSecondly  = "TEN_SECONDLY_ROLLING"
	PolicySecondly     = "SECONDLY"
)

// Headers.
const (
	HeaderCorrelationID = "X-HubSpot-Correlation-Id"
	HeaderRetryAfter    = "Retry-After"
)

// Rate-limit headers HubSpot sends with an answer (API usage guidelines,
// "Rate limit headers": https://developers.hubspot.com/docs/api/usage-details):
// the requests allowed in the rolling window of Interval-Milliseconds, and
// those still allowed in it, shared by every app of the account (the
// daily allowance is HeaderDailyLimit). Search answers carry none.
const (
	HeaderRateMax       = "X-HubSpot-RateLimit-Max"
	HeaderRateRemaining = "X-HubSpot-RateLimit-Remaining"
	HeaderRateInterval  = "X-HubSpot-RateLimit-Interval-Milliseconds"
)

// Error is HubSpot's error body (schema Error, plus the status, errorType,
// policyName and requestId fields rate-limit answers carry).
type Error struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	SubCategory   string              `json:"subCategory,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
	Links         map[string]string   `json:"links,omitempty"`
	Errors        []ErrorDetail       `json:"errors,omitempty"`
	ErrorType     string              `json:"errorType,omitempty"`
	PolicyName    string              `json:"policyName,omitempty"`
	RequestID     string              `json:"requestId,omitempty"`
}

// ErrorDetail is one field-level error (schema ErrorDetail).
type ErrorDetail struct {
	Message     string              `json:"message"`
	In          string              `json:"in,omitempty"`
	Code        string              `json:"code,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}
