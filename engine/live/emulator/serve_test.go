package emulator

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeOnlyOnLoopback(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:0", "[::]:0", "nonsense"} {
		if _, err := ListenLoopback(addr); err == nil || !strings.Contains(err.Error(), "sandbox") {
			t.Errorf("ListenLoopback(%q) = %v, want a refusal", addr, err)
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
	go func() { done <- Serve(ctx, ln, h) }()
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/", nil)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("serve: %v, %v", resp, err)
	}
	_ = resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
}

func TestLatencyAndDroppedConnectionsOverHTTP(t *testing.T) {
	var in Injector
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !in.Inject(w, r, plainWords{}) {
			w.WriteHeader(http.StatusOK)
		}
	})
	base, stop, err := Start(h)
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
		return hc.Do(req)
	}
	in.SetFaults(Faults{Latency: 60 * time.Millisecond})
	start := time.Now()
	resp, err := get()
	if err != nil || resp.StatusCode != 200 || time.Since(start) < 60*time.Millisecond {
		t.Fatalf("latency: %v, %v after %s", resp, err, time.Since(start))
	}
	_ = resp.Body.Close()
	in.SetFaults(Faults{DropConnections: 1})
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

// plainWords answers injected faults with bare statuses.
type plainWords struct{}

func (plainWords) RateLimited(w http.ResponseWriter, _ int) {
	w.WriteHeader(http.StatusTooManyRequests)
}

func (plainWords) ServerError(w http.ResponseWriter, status int) { w.WriteHeader(status) }
