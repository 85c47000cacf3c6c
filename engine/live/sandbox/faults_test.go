package sandbox

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestOwnRateLimits(t *testing.T) {
	clk := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	sb := memSandbox(t, WithLimits(Limits{Requests: 2, Per: 10 * time.Second, SearchPerSecond: 1}), WithClock(clk.now))
	get := func() answer { return call(t, sb, "GET", "/crm/v3/properties/contacts", "") }
	a := get()
	wantStatus(t, a, 200)
	for h, want := range map[string]string{hsapi.HeaderRateMax: "2", hsapi.HeaderRateRemaining: "1", hsapi.HeaderRateInterval: "10000"} {
		if got := a.header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	clk.add(3 * time.Second)
	wantStatus(t, get(), 200)
	a = get()
	wantStatus(t, a, 429)
	e := a.apiError(t)
	if e.ErrorType != "RATE_LIMIT" || e.PolicyName != "TEN_SECONDLY_ROLLING" || a.header.Get("Retry-After") != "" || a.header.Get(hsapi.HeaderRateRemaining) != "0" {
		t.Fatalf("429 = %+v, Retry-After %q, remaining %q", e, a.header.Get("Retry-After"), a.header.Get(hsapi.HeaderRateRemaining))
	}
	// Search has its own window and does not count against the other.
	q := `{"filterGroups":[],"properties":[],"sorts":[],"limit":1,"after":"0"}`
	a = call(t, sb, "POST", "/crm/v3/objects/contacts/search", q)
	wantStatus(t, a, 200)
	if a.header.Get(hsapi.HeaderRateRemaining) != "" {
		t.Error("a search answer carries rate-limit headers; HubSpot's do not")
	}
	a = call(t, sb, "POST", "/crm/v3/objects/contacts/search", q)
	wantStatus(t, a, 429)
	if e := a.apiError(t); e.PolicyName != "SECONDLY" {
		t.Fatalf("search 429 policy %q", e.PolicyName)
	}
	clk.add(7 * time.Second)
	wantStatus(t, get(), 200)
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/search", q), 200)
}

// TestSharedBudgetAndDailyLimit: the portal's other integrations spend
// part of every window, which the headers show; the day's allowance runs
// out with a DAILY 429.
func TestSharedBudgetAndDailyLimit(t *testing.T) {
	clk := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	sb := memSandbox(t, WithLimits(Limits{Requests: 10, Per: 10 * time.Second, Daily: 5}), WithClock(clk.now))
	sb.state.Portal = &Portal{SharedUse: 6}
	get := func() answer { return call(t, sb, "GET", "/crm/v3/properties/contacts", "") }
	for want := 3; want >= 0; want-- {
		a := get()
		wantStatus(t, a, 200)
		if got := a.header.Get(hsapi.HeaderRateRemaining); got != strconv.Itoa(want) {
			t.Fatalf("remaining %s, want %d", got, want)
		}
	}
	wantStatus(t, get(), 429) // 4 of ours and 6 of others' fill the window
	clk.add(10 * time.Second)
	a := get()
	if a.status != 429 || a.apiError(t).PolicyName != hsapi.PolicyDaily {
		t.Fatalf("sixth request of the day: %d %s", a.status, a.body)
	}
	clk.add(24 * time.Hour)
	wantStatus(t, get(), 200)
}

func TestFaultsThroughAdminEndpoint(t *testing.T) {
	sb := memSandbox(t)
	a := call(t, sb, "PUT", "/_sandbox/faults", `{"rateLimitBurst":1,"retryAfter":"2s","serverErrors":1,"serverErrorStatus":503,"pathPrefix":"/crm"}`)
	wantStatus(t, a, 200)
	wantStatus(t, call(t, sb, "GET", "/communication-preferences/v3/definitions", ""), 200) // outside pathPrefix
	a = call(t, sb, "GET", "/crm/v3/properties/contacts", "")
	wantStatus(t, a, 429)
	if a.header.Get("Retry-After") != "2" || a.apiError(t).ErrorType != hsapi.ErrorTypeRateLimit {
		t.Fatalf("injected 429: %s %v", a.body, a.header)
	}
	wantStatus(t, call(t, sb, "GET", "/_sandbox/faults", ""), 200) // admin is never faulted
	a = call(t, sb, "GET", "/crm/v3/properties/contacts", "")
	wantStatus(t, a, 503)
	a.apiError(t)
	wantStatus(t, call(t, sb, "GET", "/crm/v3/properties/contacts", ""), 200)
	if f := sb.Faults(); f.RateLimitBurst != 0 || f.ServerErrors != 0 {
		t.Fatalf("faults not used up: %+v", f)
	}
	wantStatus(t, call(t, sb, "PUT", "/_sandbox/faults", `{"latency":"fast"}`), 400)
	wantStatus(t, call(t, sb, "PUT", "/_sandbox/faults", `{"serverErrorStatus":404}`), 400)
	wantStatus(t, callAs(t, sb, "", "PUT", "/_sandbox/faults", `{}`), 401)

	a = call(t, sb, "GET", "/_sandbox/requests", "")
	wantStatus(t, a, 200)
	var counts map[string]int
	a.decode(t, &counts)
	if counts["GET /crm/v3/properties/{objectType}"] != 1 {
		t.Fatalf("request counts = %v", counts)
	}
}

// TestConcurrentRequests hammers a file-backed sandbox from many
// goroutines (for -race) and checks the state file is whole afterwards.
func TestConcurrentRequests(t *testing.T) {
	state := t.TempDir() + "/sandbox.json"
	sb, err := Open(state, seedPath, WithLimits(Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Go(func() {
			var a answer
			switch i % 4 {
			case 0:
				a = call(t, sb, "GET", "/crm/v3/properties/contacts", "")
			case 1:
				a = call(t, sb, "POST", "/crm/v3/objects/contacts/search", query(group(filter("region", "EQ", "emea"))))
			case 2:
				a = call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", batch(input("101", "region", []string{"na", "emea"}[i%2])))
			case 3:
				a = call(t, sb, "PATCH", "/crm/v3/properties/contacts/lead_source", `{"description":"edited"}`)
			}
			if a.status >= 300 {
				t.Errorf("request %d: %d %s", i, a.status, a.body)
			}
		})
	}
	wg.Wait()
	if _, err := readState(state, timeZero); err != nil {
		t.Fatalf("state file damaged: %v", err)
	}
}
