package salesforce

import (
	"net/http"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/pacing"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// RetryPolicy controls retries: capped exponential backoff with full jitter
// and a cap on honoured Retry-After (see pacing.RetryPolicy).
type RetryPolicy = pacing.RetryPolicy

// DefaultRetryPolicy tries 5 times, backing off from 1 s to 30 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 5, Initial: time.Second, Max: 30 * time.Second, MaxRetryAfter: 2 * time.Minute}
}

// notApplied reports answers after which Salesforce has not carried out
// the request, so any call may be retried: 429, and 403
// REQUEST_LIMIT_EXCEEDED unless it is the org's daily allocation (which a
// short wait does not cure).
func notApplied(e *live.APIError) bool {
	switch {
	case e.Status == http.StatusTooManyRequests:
		return true
	case e.Category == sfapi.CodeRequestLimit:
		return !strings.Contains(e.Message, sfapi.DailyLimitMessage)
	}
	return false
}
