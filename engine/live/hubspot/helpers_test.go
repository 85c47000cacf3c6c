package hubspot_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

const (
	seedPath  = "../sandbox/testdata/seed.json"
	testToken = "pat-na1-11111111-2222-3333-4444-555555555555"
)

// fakeClock records waits and returns at once.
type fakeClock struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (f *fakeClock) Now() time.Time { return time.Now() }

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeClock) waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// fastRetry keeps the real policy's shape with tiny delays.
func fastRetry() hubspot.RetryPolicy {
	return hubspot.RetryPolicy{MaxAttempts: 5, Initial: time.Millisecond, Max: 8 * time.Millisecond, MaxRetryAfter: time.Minute}
}

// env is a sandbox served on loopback and a client talking to it through a
// checking transport.
type env struct {
	sb     *sandbox.Sandbox
	client *hubspot.Client
	tr     *checkingTransport
	clock  *fakeClock
	url    string
}

func sandboxFromSeed(t testing.TB, opts ...sandbox.Option) *sandbox.Sandbox {
	t.Helper()
	opts = append([]sandbox.Option{sandbox.WithLimits(sandbox.Limits{})}, opts...)
	sb, err := sandbox.Open("", seedPath, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

func newEnv(t testing.TB, sb *sandbox.Sandbox, opts ...hubspot.Option) *env {
	t.Helper()
	if sb == nil {
		sb = sandboxFromSeed(t)
	}
	base, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	e := &env{sb: sb, tr: newCheckingTransport(t), clock: &fakeClock{}, url: base}
	t.Cleanup(e.tr.next.(*http.Transport).CloseIdleConnections) // runs before stop
	all := append([]hubspot.Option{
		hubspot.WithHTTPClient(&http.Client{Transport: e.tr}),
		hubspot.WithSystem("sandbox"),
		hubspot.WithRetry(fastRetry()),
		hubspot.WithClock(e.clock),
		hubspot.WithLimits(hubspot.Limits{Concurrent: 10}),
		hubspot.WithTimeout(5 * time.Second),
	}, opts...)
	e.client, err = hubspot.New(base, testToken, all...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func bind(object, property string) live.Binding {
	return live.Binding{System: "sandbox", Object: object, Property: property}
}

func readOne(t testing.TB, c *hubspot.Client, b live.Binding) *live.Property {
	t.Helper()
	snap, err := c.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{b}})
	if err != nil {
		t.Fatal(err)
	}
	p := snap.Properties[b]
	if p == nil {
		t.Fatalf("%s missing from snapshot", b)
	}
	return p
}
