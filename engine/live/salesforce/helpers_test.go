package salesforce_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

const (
	seedPath  = "../sfsandbox/testdata/seed.json"
	testToken = "00DXX0000001abc!AQ4AQFakeSessionTokenForTests.0123456789"
	system    = "sf"
	api       = "/services/data/v62.0"
)

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

// env is an emulator served on loopback and a client talking to it.
type env struct {
	sb     *sfsandbox.Sandbox
	client *salesforce.Client
	tr     *countingTransport
	clock  *clienttest.Clock
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
	tr := &http.Transport{}
	e := &env{sb: sb, tr: &countingTransport{next: tr, n: map[string]int{}}, clock: &clienttest.Clock{}}
	e.url = clienttest.Start(t, sb.Start, tr)
	all := append([]salesforce.Option{
		salesforce.WithHTTPClient(&http.Client{Transport: e.tr}),
		salesforce.WithSystem(system),
		salesforce.WithRetry(clienttest.FastRetry()),
		salesforce.WithClock(e.clock),
		salesforce.WithLimits(salesforce.Limits{Concurrent: 5}),
		salesforce.WithTimeout(5 * time.Second),
	}, opts...)
	var err error
	e.client, err = salesforce.New(e.url, testToken, all...)
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
	return clienttest.ReadOne(t, c, b)
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
