package salesforce

import (
	"time"

	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

// RetryPolicy controls retries: capped exponential backoff with full jitter
// and a cap on honoured Retry-After (see pacing.RetryPolicy).
type RetryPolicy = pacing.RetryPolicy

// DefaultRetryPolicy tries 5 times, backing off from 1 s to 30 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 5, Initial: time.Second, Max: 30 * time.Second, MaxRetryAfter: 2 * time.Minute}
}
