package salesforce

import (
	"time"

	"golang.org/x/time/rate"

	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

// Limits is the client-side pacing. Salesforce has no per-second request
// limit; what runs out is the org's rolling 24-hour allocation (watched
// through Sforce-Limit-Info, see Client.Usage) and the cap on concurrent
// long-running requests (25 in production, 5 in developer orgs). Zero
// fields switch that part off.
type Limits struct {
	// Requests per Per paces calls.
	Requests int
	Per      time.Duration
	// Concurrent caps requests in flight.
	Concurrent int
}

// DefaultLimits pace the client at 200 requests per 10 s with at most 5 in
// flight, which stays under every org's concurrency cap.
func DefaultLimits() Limits {
	return Limits{Requests: 200, Per: 10 * time.Second, Concurrent: 5}
}

// limiter never lets more than Requests through in any window of length
// Per.
func (l Limits) limiter() *rate.Limiter {
	return pacing.WindowLimiter(l.Requests, l.Per, l.Concurrent)
}
