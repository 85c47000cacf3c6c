package sfsandbox_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

func TestFaultsThroughAdminEndpoint(t *testing.T) {
	sb := open(t)
	f, err := sandbox.ParseFaults("ratelimit=1,retryafter=2s,server=1,status=503,path=" + api + "/sobjects")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(f)
	if a := call(t, sb, http.MethodPut, "/_sandbox/faults", body); a.status != 200 {
		t.Fatalf("PUT faults: HTTP %d %s", a.status, a.body)
	}
	if a := call(t, sb, http.MethodGet, api+"/limits", nil); a.status != 200 {
		t.Fatalf("outside the path prefix: HTTP %d", a.status)
	}
	a := call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil)
	if a.status != 403 || a.errs(t)[0].ErrorCode != sfapi.CodeRequestLimit || a.header.Get("Retry-After") != "2" || a.header.Get(sfapi.HeaderLimitInfo) == "" {
		t.Fatalf("injected limit: HTTP %d %v %s", a.status, a.header, a.body)
	}
	a = call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil)
	if a.status != 503 || a.errs(t)[0].ErrorCode != sfapi.CodeServerUnavailable {
		t.Fatalf("injected 503: HTTP %d %s", a.status, a.body)
	}
	if a := call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil); a.status != 200 {
		t.Fatalf("faults used up: HTTP %d", a.status)
	}
	var left sfsandbox.Faults
	call(t, sb, http.MethodGet, "/_sandbox/faults", nil).decode(t, &left)
	if left.RateLimitBurst != 0 || left.ServerErrors != 0 {
		t.Fatalf("faults left %+v", left)
	}
	var counts map[string]int
	call(t, sb, http.MethodGet, "/_sandbox/requests", nil).decode(t, &counts)
	if counts["GET /services/data/{version}/sobjects/{object}/describe"] != 1 {
		t.Fatalf("request counts %v (faulted requests never reach a route)", counts)
	}
}

func TestLatencyAndDropOverHTTP(t *testing.T) {
	sb := open(t)
	base, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	get := func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+api+"/limits", nil)
		req.Header.Set("Authorization", "Bearer x")
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		return (&http.Client{Transport: tr}).Do(req)
	}
	sb.SetFaults(sfsandbox.Faults{DropConnections: 1})
	if resp, err := get(context.Background()); err == nil {
		resp.Body.Close()
		t.Fatal("dropped connection answered")
	}
	sb.SetFaults(sfsandbox.Faults{Latency: 100 * time.Millisecond})
	start := time.Now()
	resp, err := get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Fatalf("answered after %s, want the 100ms latency", d)
	}
}

func TestConcurrentRequests(t *testing.T) {
	sb := open(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			switch i % 3 {
			case 0:
				query(t, sb, "SELECT LeadSource, COUNT(Id) FROM Lead GROUP BY LeadSource")
			case 1:
				call(t, sb, http.MethodPatch, api+"/composite/sobjects", update(rec("00Q000000000001AAA", map[string]*string{"Region__c": new("na")})))
			default:
				call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil)
			}
		})
	}
	wg.Wait()
	if u := sb.Usage(); u.Used != 20 {
		t.Fatalf("usage %d, want 20", u.Used)
	}
}

func TestServeIsLoopbackOnly(t *testing.T) {
	sb := open(t)
	err := sfsandbox.Serve(context.Background(), "0.0.0.0:0", sb)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("want a loopback refusal, got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sfsandbox.Serve(ctx, "127.0.0.1:0", sb) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}
