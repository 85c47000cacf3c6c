package hubspot_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

func TestConcurrencyIsCapped(t *testing.T) {
	var inFlight, peak atomic.Int64
	srv := clienttest.NewStub(t, func(w http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"results":[]}`))
	})
	c := stubClient(t, srv.URL, hubspot.WithLimits(hubspot.Limits{Concurrent: 3}))
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.ListProperties(context.Background(), "contacts"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > 3 || p < 2 {
		t.Fatalf("peak concurrency %d, want at most 3 (and some overlap)", p)
	}
}

// TestLimiterKeepsUnderServerWindow scales HubSpot's limits down (6 per
// 300ms instead of 100 per 10s; search 10/s instead of 4/s), gives the
// sandbox the same limits with its exact sliding window, and fires many
// requests: the client must pace itself so that the sandbox never answers
// 429, and the pacing must really slow it down.
func TestLimiterKeepsUnderServerWindow(t *testing.T) {
	sb := sandboxFromSeed(t, sandbox.WithLimits(sandbox.Limits{Requests: 6, Per: 300 * time.Millisecond, SearchPerSecond: 10}))
	e := newEnv(t, sb, hubspot.WithLimits(hubspot.Limits{Requests: 6, Per: 300 * time.Millisecond, Concurrent: 4, SearchPerSecond: 10}),
		hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 1}))
	ctx := context.Background()
	start := time.Now()
	var wg sync.WaitGroup
	for range 18 {
		wg.Go(func() {
			if _, err := e.client.ListProperties(ctx, "contacts"); err != nil {
				t.Error(err)
			}
		})
	}
	for range 8 {
		wg.Go(func() {
			if _, err := e.client.Search(ctx, "contacts", hsapi.SearchRequest{Limit: 1}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	// 18 general requests at 5 per 300ms after a burst of 1: ≥ 17/5*300ms ≈ 1s.
	if elapsed < 700*time.Millisecond {
		t.Fatalf("18 requests took %s: the limiter did not pace them", elapsed)
	}
	if n := e.tr.statuses[429]; n != 0 {
		t.Fatalf("sandbox answered 429 %d times", n)
	}
}
