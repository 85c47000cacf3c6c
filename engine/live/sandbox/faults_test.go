package sandbox

import (
	"context"
	"net/http"
	"strings"
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
	wantStatus(t, get(), 200)
	clk.add(3 * time.Second)
	wantStatus(t, get(), 200)
	a := get()
	wantStatus(t, a, 429)
	e := a.apiError(t)
	if e.ErrorType != "RATE_LIMIT" || e.PolicyName != "TEN_SECONDLY_ROLLING" || a.header.Get("Retry-After") != "7" {
		t.Fatalf("429 = %+v, Retry-After %q", e, a.header.Get("Retry-After"))
	}
	// Search has its own window and does not count against the other.
	q := `{"filterGroups":[],"properties":[],"sorts":[],"limit":1,"after":"0"}`
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/search", q), 200)
	a = call(t, sb, "POST", "/crm/v3/objects/contacts/search", q)
	wantStatus(t, a, 429)
	if e := a.apiError(t); e.PolicyName != "SECONDLY" {
		t.Fatalf("search 429 policy %q", e.PolicyName)
	}
	clk.add(7 * time.Second)
	wantStatus(t, get(), 200)
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/search", q), 200)
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

func TestParseFaults(t *testing.T) {
	f, err := ParseFaults("ratelimit=3, retryafter=1, server=2,status=502,latency=250ms,drop=1,path=/crm/v3/objects")
	want := Faults{RateLimitBurst: 3, RetryAfter: time.Second, ServerErrors: 2, ServerErrorStatus: 502, Latency: 250 * time.Millisecond, DropConnections: 1, PathPrefix: "/crm/v3/objects"}
	if err != nil || f != want {
		t.Fatalf("ParseFaults = %+v, %v", f, err)
	}
	for _, bad := range []string{"ratelimit", "colour=red", "server=-1", "latency=soon", "status=200"} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("ParseFaults(%q) accepted", bad)
		}
	}
	if f, err := ParseFaults(""); err != nil || f != (Faults{}) {
		t.Errorf("empty: %+v, %v", f, err)
	}
}

func TestLatencyAndDroppedConnectionsOverHTTP(t *testing.T) {
	sb := memSandbox(t)
	base, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func() (*http.Response, error) {
		req, _ := http.NewRequest("GET", base+"/crm/v3/properties/contacts", nil)
		req.Header.Set("Authorization", "Bearer t")
		return hc.Do(req)
	}
	sb.SetFaults(Faults{Latency: 60 * time.Millisecond})
	start := time.Now()
	resp, err := get()
	if err != nil || resp.StatusCode != 200 || time.Since(start) < 60*time.Millisecond {
		t.Fatalf("latency: %v, %v after %s", resp, err, time.Since(start))
	}
	_ = resp.Body.Close()
	sb.SetFaults(Faults{DropConnections: 1})
	if resp, err := get(); err == nil {
		_ = resp.Body.Close()
		t.Fatal("want a dropped connection")
	}
	resp, err = get()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the drop: %v, %v", resp, err)
	}
	_ = resp.Body.Close()
}

func TestServeOnlyOnLoopback(t *testing.T) {
	sb := memSandbox(t)
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:0", "[::]:0", "nonsense"} {
		if err := Serve(context.Background(), addr, sb); err == nil || !strings.Contains(err.Error(), "sandbox") {
			t.Errorf("Serve(%q) = %v, want a refusal", addr, err)
		}
	}
	ln, err := ListenLoopback("localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ln.Addr().String(), "127.0.0.1:") {
		t.Errorf("localhost bound to %s", ln.Addr())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeListener(ctx, ln, sb) }()
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/communication-preferences/v3/definitions", nil)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("serve: %v, %v", resp, err)
	}
	_ = resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("ServeListener after cancel: %v", err)
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
