package salesforce

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// RetryPolicy controls retries. The delays come from
// backoff.ExponentialBackOff (without its own randomisation), to which the
// client adds full jitter: each wait is uniform in [0, delay]. The client
// runs the loop itself so that it waits on an injectable Clock and keeps
// the API error of the last attempt.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// Initial is the first backoff delay before jitter; it doubles up to
	// Max.
	Initial, Max time.Duration
	// MaxRetryAfter is the longest Retry-After the client honours; a
	// longer one fails at once.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy tries 5 times, backing off from 1 s to 30 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 5, Initial: time.Second, Max: 30 * time.Second, MaxRetryAfter: 2 * time.Minute}
}

func (p RetryPolicy) newBackOff() *backoff.ExponentialBackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = p.Initial
	b.MaxInterval = p.Max
	b.Multiplier = 2
	b.RandomizationFactor = 0
	b.Reset()
	return b
}

// fullJitter picks a wait uniformly in [0, d].
func fullJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
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

// transient reports server errors worth retrying for idempotent calls.
func transient(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter parses a Retry-After header: delay seconds or an HTTP date.
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}
