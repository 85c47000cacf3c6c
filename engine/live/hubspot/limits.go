package hubspot

import (
	"time"

	"golang.org/x/time/rate"
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

// generalLimiter returns a token bucket that never lets more than Requests
// through in any window of length Per: with a burst of b and a refill rate
// of (Requests-b)/Per, the worst case in a window is b + (Requests-b).
func (l Limits) generalLimiter() *rate.Limiter {
	if l.Requests <= 0 || l.Per <= 0 {
		return nil
	}
	burst := max(1, min(l.Requests/10, 10))
	if l.Concurrent > 0 {
		burst = min(burst, l.Concurrent)
	}
	refill := max(1, l.Requests-burst)
	return rate.NewLimiter(rate.Limit(float64(refill)/l.Per.Seconds()), burst)
}

// searchLimiter spaces search calls evenly with no burst, 10% under the
// limit, because HubSpot counts per second on its side and clocks differ.
func (l Limits) searchLimiter() *rate.Limiter {
	if l.SearchPerSecond <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(l.SearchPerSecond*0.9), 1)
}
