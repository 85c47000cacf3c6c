package emulator

import (
	"maps"
	"net/http"
	"sync"
)

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

// Route registers h on mux for pattern, counting each request it serves
// under pattern.
func (c *Counter) Route(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		c.Count(pattern)
		h(w, r)
	})
}
