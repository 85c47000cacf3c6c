package hubspot

import (
	"time"

	"golang.org/x/time/rate"

	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

// Limits is the client-side rate limiting. Zero fields switch that part
// off.
type Limits struct {
	// Requests per Per is the account's burst limit for non-search calls.
	Requests int
	Per      time.Duration
	// Concurrent caps requests in flight (all calls).
	Concurrent int
	// SearchPerSecond caps search calls.
	SearchPerSecond float64
}

// DefaultLimits are HubSpot's private-app limits on Free/Starter accounts,
// the lowest tier: 100 requests per 10 s, 10 at once, search 4 per second.
func DefaultLimits() Limits {
	return Limits{Requests: 100, Per: 10 * time.Second, Concurrent: 10, SearchPerSecond: 4}
}

// generalLimiter never lets more than Requests through in any window of
// length Per.
func (l Limits) generalLimiter() *rate.Limiter {
	return pacing.WindowLimiter(l.Requests, l.Per, l.Concurrent)
}

// searchMargin is the share of the search limit the client uses.
const searchMargin = 0.97

// searchLimiter spaces search calls evenly with no burst, 3% under the
// limit, because HubSpot counts per second on its own clock and arrivals
// jitter by a few milliseconds.
// Without a search limit it lets every search through at once.
func (l Limits) searchLimiter() *rate.Limiter {
	if l.SearchPerSecond <= 0 {
		return rate.NewLimiter(rate.Inf, 0)
	}
	return rate.NewLimiter(rate.Limit(l.SearchPerSecond*searchMargin), 1)
}
