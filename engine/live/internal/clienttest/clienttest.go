// Package clienttest is what the tests of the live-system clients
// (HubSpot, Salesforce) share: a clock that records the waits a client
// chooses, a hand-written server for answers an emulator never gives, an
// emulator started for one test, a retry policy with tiny delays, a
// check that no text leaks a token, and a rendering of credential checks.
// Only tests import it.
package clienttest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

// Clock records the waits a client chooses and returns at once.
type Clock struct {
	mu    sync.Mutex
	waits []time.Duration
}

// Now is the wall clock.
func (*Clock) Now() time.Time { return time.Now() }

// Sleep records d and returns ctx's error, without waiting.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	return ctx.Err()
}

// Waits returns the waits so far, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// FastRetry keeps the shape of the real retry policies with tiny delays.
func FastRetry() pacing.RetryPolicy {
	return pacing.RetryPolicy{MaxAttempts: 5, Initial: time.Millisecond, Max: 8 * time.Millisecond, MaxRetryAfter: time.Minute}
}

// Stub is a hand-written server that counts the requests it answers.
type Stub struct {
	*httptest.Server
	Hits atomic.Int64
}

// NewStub serves h until the test ends.
func NewStub(t testing.TB, h http.HandlerFunc) *Stub {
	s := &Stub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// Start starts an emulator with start (its Start method) until the test
// ends, and returns its URL. tr is the transport the test's client uses:
// its idle connections are closed before the emulator stops, which then
// stops at once rather than waiting for them.
func Start(t testing.TB, start func() (string, func() error, error), tr *http.Transport) string {
	t.Helper()
	url, stop, err := start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	t.Cleanup(tr.CloseIdleConnections) // runs before stop
	return url
}

// ClosedURL is the URL of a loopback port nothing listens on.
func ClosedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

// AssertNoToken fails the test when s holds any of the secrets.
func AssertNoToken(t testing.TB, what, s string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			t.Fatalf("%s leaks the token: %s", what, s)
		}
	}
}

// ReadOne reads one binding through p and fails the test unless it
// exists.
func ReadOne(t testing.TB, p live.Provider, b live.Binding) *live.Property {
	t.Helper()
	snap, err := p.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{b}})
	if err != nil {
		t.Fatal(err)
	}
	prop := snap.Properties[b]
	if prop == nil {
		t.Fatalf("%s missing from snapshot", b)
	}
	return prop
}

// Checks renders a Checker's answer as "kind name: status" lines, for
// comparing with what a test expects.
func Checks(checks []live.Check) string {
	lines := make([]string, 0, len(checks))
	for _, c := range checks {
		lines = append(lines, fmt.Sprintf("%s %s: %s", c.Kind, c.Name, c.Status))
	}
	return strings.Join(lines, "\n")
}
