package salesforce

import (
	"context"
	"net/http"
	"sync"

	"github.com/mops-dev/mops/engine/live/internal/rest"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// usageWarning is the share of the org's daily API allocation above which
// the client logs a warning.
const usageWarning = 0.8

// usageTracker keeps the last Sforce-Limit-Info the org sent and decides
// when usage deserves a warning.
type usageTracker struct {
	warnAt float64 // fraction; <= 0: never warn

	mu         sync.Mutex
	last       sfapi.LimitInfo
	seen       bool
	warned     bool // a warning was logged
	warnedUsed int  // Used at the last warning
}

// observe records a header value. It reports whether to warn: the first
// time usage is at or above warnAt, then again each time it grew by another
// percent of the allocation, so a long migration warns a few times, not on
// every call.
func (u *usageTracker) observe(h string) (sfapi.LimitInfo, bool) {
	info, ok := sfapi.ParseLimitInfo(h)
	if !ok {
		return info, false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.last, u.seen = info, true
	if u.warnAt <= 0 || info.Fraction() < u.warnAt {
		return info, false
	}
	step := max(1, info.Max/100)
	if u.warned && info.Used < u.warnedUsed+step {
		return info, false
	}
	u.warned, u.warnedUsed = true, info.Used
	return info, true
}

func (u *usageTracker) get() (sfapi.LimitInfo, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.last, u.seen
}

// Usage returns the org's API usage from the last Sforce-Limit-Info header
// the client saw, and false when it has seen none yet.
func (c *Client) Usage() (sfapi.LimitInfo, bool) { return c.usage.get() }

// exhausted reports whether the last header said the daily allocation is
// used up; retrying a limit error is pointless then.
func (c *Client) exhausted() bool {
	info, ok := c.usage.get()
	return ok && info.Used >= info.Max
}

// noteUsage reads the header of an answer and warns when usage is high.
func (c *Client) noteUsage(cl rest.Call, h http.Header) {
	info, warn := c.usage.observe(h.Get(sfapi.HeaderLimitInfo))
	if warn {
		c.api.Log.Warn("salesforce: API usage is high", "system", c.api.System, "usage", info.String(),
			"percent", int(info.Fraction()*100), "method", cl.Method, "path", cl.Path)
	}
}

// OrgLimits returns the org's limits (GET /limits), keyed as Salesforce
// names them, e.g. sfapi.LimitDailyAPIRequests.
func (c *Client) OrgLimits(ctx context.Context) (map[string]sfapi.Limit, error) {
	var out map[string]sfapi.Limit
	err := c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: c.root + sfapi.PathLimits, Out: &out, Idempotent: true})
	if err != nil {
		return nil, err
	}
	return out, nil
}
