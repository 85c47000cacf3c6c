package salesforce

import (
	"time"

	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

// Limits is the client-side pacing: Requests per Per, and at most
// Concurrent calls in flight; zero fields switch that part off.
// Salesforce has no per-second request limit; what runs out is the org's
// rolling 24-hour allocation (watched through Sforce-Limit-Info, see
// Client.Usage) and the cap on concurrent long-running requests (25 in
// production, 5 in developer orgs).
type Limits = pacing.Limits

// DefaultLimits pace the client at 200 requests per 10 s with at most 5 in
// flight, which stays under every org's concurrency cap.
func DefaultLimits() Limits {
	return Limits{Requests: 200, Per: 10 * time.Second, Concurrent: 5}
}
