package salesforce_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

const (
	seedPath  = "../sfsandbox/testdata/seed.json"
	testToken = "00DXX0000001abc!AQ4AQFakeSessionTokenForTests.0123456789"
	system    = "sf"
	api       = "/services/data/v62.0"
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

// countingTransport counts requests by "METHOD path".
type countingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[r.Method+" "+r.URL.Path]++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func (c *countingTransport) count(method, path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[method+" "+path]
}

// total counts requests whose "METHOD path" starts with prefix.
func (c *countingTransport) total(prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.n {
		if strings.HasPrefix(k, prefix) {
			n += v
		}
	}
	return n
}

// keys lists the "METHOD path" of every request.
func (c *countingTransport) keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Sorted(maps.Keys(c.n))
}

func (c *countingTransport) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.n)
}

// fastRetry keeps the real policy's shape with tiny delays.
func fastRetry() salesforce.RetryPolicy {
	return salesforce.RetryPolicy{MaxAttempts: 5, Initial: time.Millisecond, Max: 8 * time.Millisecond, MaxRetryAfter: time.Minute}
}

// env is an emulator served on loopback and a client talking to it.
type env struct {
	sb     *sfsandbox.Sandbox
	client *salesforce.Client
	tr     *countingTransport
	clock  *fakeClock
	url    string
}

func sandboxFromSeed(t testing.TB, opts ...sfsandbox.Option) *sfsandbox.Sandbox {
	t.Helper()
	sb, err := sfsandbox.Open("", seedPath, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

func newEnv(t testing.TB, sb *sfsandbox.Sandbox, opts ...salesforce.Option) *env {
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
	tr := &http.Transport{}
	e := &env{sb: sb, tr: &countingTransport{next: tr, n: map[string]int{}}, clock: &fakeClock{}, url: base}
	t.Cleanup(tr.CloseIdleConnections) // runs before stop
	all := append([]salesforce.Option{
		salesforce.WithHTTPClient(&http.Client{Transport: e.tr}),
		salesforce.WithSystem(system),
		salesforce.WithRetry(fastRetry()),
		salesforce.WithClock(e.clock),
		salesforce.WithLimits(salesforce.Limits{Concurrent: 5}),
		salesforce.WithTimeout(5 * time.Second),
	}, opts...)
	e.client, err = salesforce.New(base, testToken, all...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func bind(object, field string) live.Binding {
	return live.Binding{System: system, Object: object, Property: field}
}

func readOne(t testing.TB, c *salesforce.Client, b live.Binding) *live.Property {
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

// values renders options as value(label)[-] with - for hidden, in order.
func values(opts []live.Option) string {
	var parts []string
	for _, o := range opts {
		s := fmt.Sprintf("%s(%s)", o.Value, o.Label)
		if o.Hidden {
			s += "-"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}
