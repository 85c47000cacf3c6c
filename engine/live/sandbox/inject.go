package sandbox

import (
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Injector hands out injected faults request by request. The HubSpot and
// Salesforce sandboxes embed it and answer each kind in their vendor's
// words. The zero value injects nothing.
type Injector struct {
	mu     sync.Mutex
	faults Faults
}

// SetFaults replaces the injected faults.
func (in *Injector) SetFaults(f Faults) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.faults = f
}

// Faults returns the faults still pending.
func (in *Injector) Faults() Faults {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.faults
}

// FaultKind is the one fault chosen for a request.
type FaultKind int

// The faults a request can get, in the order they are used up.
const (
	NoFault FaultKind = iota
	DropFault
	RateLimitFault
	ServerFault
)

// Take waits out the injected latency of a matching request, then picks
// and uses up its fault: a dropped connection, then a rate-limit answer,
// then a 5xx. It returns the faults as they stood (for Retry-After and the
// 5xx status); ok is false when the request ended while waiting.
func (in *Injector) Take(r *http.Request) (kind FaultKind, f Faults, ok bool) {
	in.mu.Lock()
	f = in.faults
	match := strings.HasPrefix(r.URL.Path, f.PathPrefix)
	switch {
	case !match:
	case f.DropConnections > 0:
		in.faults.DropConnections--
		kind = DropFault
	case f.RateLimitBurst > 0:
		in.faults.RateLimitBurst--
		kind = RateLimitFault
	case f.ServerErrors > 0:
		in.faults.ServerErrors--
		kind = ServerFault
	}
	in.mu.Unlock()
	if match && f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return kind, f, false
		}
	}
	return kind, f, true
}

// RetryAfterSeconds is f.RetryAfter rounded up to whole seconds, as the
// Retry-After header carries it; 0 when unset.
func (f Faults) RetryAfterSeconds() int {
	if f.RetryAfter <= 0 {
		return 0
	}
	return max(1, int((f.RetryAfter+time.Second-1)/time.Second))
}

// DropConnection closes the connection without an answer.
func DropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// Counter counts the requests each route served, for tests that count the
// calls a client makes. The zero value is ready to use.
type Counter struct {
	mu     sync.Mutex
	counts map[string]int
}

// Count records one request to the route pattern.
func (c *Counter) Count(pattern string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[string]int{}
	}
	c.counts[pattern]++
}

// Requests returns how many requests each route served, keyed by its
// pattern (e.g. "POST /crm/v3/objects/{objectType}/search").
func (c *Counter) Requests() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := maps.Clone(c.counts)
	if out == nil {
		out = map[string]int{}
	}
	return out
}

// ResetRequests zeroes the request counts.
func (c *Counter) ResetRequests() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.counts)
}
