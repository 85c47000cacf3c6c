// Package pacing is how the live-system clients (HubSpot, Salesforce) pace
// and retry their calls: the retry policy and its jittered backoff, the
// Retry-After header, which statuses are transient, a client-side token
// bucket, and the clock they wait on. What a vendor's answers mean stays
// in each client.
package pacing

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
	"golang.org/x/time/rate"
)

// Clock tells time and waits. Tests inject a fake to make retries instant
// and to see how long the client chose to wait.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, returning ctx's error then.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns the current time.
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// RetryPolicy controls retries. The delays come from
// backoff.ExponentialBackOff (without its own randomisation), to which the
// client adds full jitter: each wait is uniform in [0, delay]. The clients
// run the retry loop themselves rather than backoff.Retry so that they can
// wait on an injectable Clock and keep the API error of the last attempt.
type RetryPolicy struct {
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// Initial is the first backoff delay before jitter; it doubles up to
	// Max.
	Initial, Max time.Duration
	// MaxRetryAfter is the longest Retry-After the client honours; a
	// longer one (a daily limit, say) fails at once.
	MaxRetryAfter time.Duration
}

// NewBackOff returns the policy's exponential backoff, without jitter.
func (p RetryPolicy) NewBackOff() *backoff.ExponentialBackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = p.Initial
	b.MaxInterval = p.Max
	b.Multiplier = 2
	b.RandomizationFactor = 0
	b.Reset()
	return b
}

// FullJitter picks a wait uniformly in [0, d].
func FullJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// Transient reports server errors worth retrying for idempotent calls.
func Transient(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// RetryAfter parses a Retry-After header: delay seconds or an HTTP date.
func RetryAfter(h string, now time.Time) (time.Duration, bool) {
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

// Limits are a client's own pacing. Zero fields switch that part off.
type Limits struct {
	// Requests per Per paces calls: no window of length Per lets more
	// than Requests through.
	Requests int
	Per      time.Duration
	// Concurrent caps calls in flight.
	Concurrent int
}

// Limiter is the token bucket that keeps to Requests per Per (see
// WindowLimiter); nil when that part is off.
func (l Limits) Limiter() *rate.Limiter { return WindowLimiter(l.Requests, l.Per, l.Concurrent) }

// WindowLimiter returns a token bucket that never lets more than requests
// through in any window of length per: with a burst of b and a refill rate
// of (requests-b)/per, the worst case in a window is b + (requests-b). The
// burst is a fiftieth of the window's requests (at most 10, and at most
// concurrent when positive), so a long run is paced at 98% of the limit
// while a handful of reads still go out at once. Nil when requests or per
// is not positive.
func WindowLimiter(requests int, per time.Duration, concurrent int) *rate.Limiter {
	if requests <= 0 || per <= 0 {
		return nil
	}
	burst := max(1, min(requests/50, 10))
	if concurrent > 0 {
		burst = min(burst, concurrent)
	}
	refill := max(1, requests-burst)
	return rate.NewLimiter(rate.Limit(float64(refill)/per.Seconds()), burst)
}

// Outcome is one attempt's result: the error (nil on success), whether
// another attempt may help, and how long the server asked to wait first
// (negative: use the backoff).
type Outcome struct {
	Err   error
	Retry bool
	Wait  time.Duration
}

// Run calls attempt until it succeeds or must stop, waiting on clock
// between attempts: the delay the attempt asked for (which also restarts
// the backoff), else the jittered backoff. It stops with the attempt's
// error when the attempt says another would not help, when ctx is done,
// or after MaxAttempts (saying so). onRetry, when set, is told about each
// wait before it starts.
func (p RetryPolicy) Run(ctx context.Context, clock Clock, attempt func() Outcome, onRetry func(next int, wait time.Duration, err error)) error {
	bo := p.NewBackOff()
	for n := 1; ; n++ {
		res := attempt()
		if res.Err == nil {
			return nil
		}
		if ctx.Err() != nil || !res.Retry {
			return res.Err
		}
		if n >= p.MaxAttempts {
			return fmt.Errorf("%w (gave up after %d attempts)", res.Err, n)
		}
		wait := res.Wait
		if wait < 0 {
			wait = FullJitter(bo.NextBackOff())
		} else {
			bo.Reset()
		}
		if onRetry != nil {
			onRetry(n+1, wait, res.Err)
		}
		if err := clock.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w (stopped waiting to retry: %w)", res.Err, err)
		}
	}
}

// TransportFailure classifies a call that got no response: err (from the
// HTTP client, or reading the body) is reported under prefix ("hubspot:
// GET /path"), its *url.Error wrapper dropped (it repeats the URL) and its
// text passed through redact (it may quote credentials). When ctx (the
// caller's) is done, the call stops with its cause; when actx (the
// attempt's, bounded by timeout) ran out, the error says so. Otherwise the
// call may be retried when it is idempotent, after the backoff.
func TransportFailure(ctx, actx context.Context, prefix string, timeout time.Duration, idempotent bool, redact func(string) string, err error) Outcome {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	switch {
	case ctx.Err() != nil:
		return Outcome{Err: fmt.Errorf("%s: %w", prefix, context.Cause(ctx))}
	case errors.Is(actx.Err(), context.DeadlineExceeded):
		err = fmt.Errorf("no response within %s: %w", timeout, context.DeadlineExceeded)
	}
	if msg := redact(err.Error()); msg != err.Error() {
		err = errors.New(msg)
	}
	return Outcome{Err: fmt.Errorf("%s: %w", prefix, err), Retry: idempotent, Wait: -1}
}
