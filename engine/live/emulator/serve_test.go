package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
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
	// An expired session comes before a rate limit, each used up once.
	in.SetFaults(Faults{ExpireSessions: 1, RateLimitBurst: 1})
	for _, want := range []int{http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusOK} {
		resp, err := get()
		if err != nil || resp.StatusCode != want {
			t.Fatalf("want %d, got %v, %v", want, resp, err)
		}
		_ = resp.Body.Close()
	}
}

// plainWords answers injected faults with bare statuses.
type plainWords struct{}

func (plainWords) RateLimited(w http.ResponseWriter, _ int) {
	w.WriteHeader(http.StatusTooManyRequests)
}

func (plainWords) ServerError(w http.ResponseWriter, status int) { w.WriteHeader(status) }

func (plainWords) SessionExpired(w http.ResponseWriter) { w.WriteHeader(http.StatusUnauthorized) }

// TestServeAnswersOnlyItsOwnAddress: a request naming another host (a
// page whose DNS name an attacker rebinds to 127.0.0.1) is refused with
// 421; the listening address and localhost on its port are served.
func TestServeAnswersOnlyItsOwnAddress(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	base, stop, err := Start(h)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	addr := strings.TrimPrefix(base, "http://")
	_, port, _ := net.SplitHostPort(addr)
	for host, want := range map[string]int{
		addr:                   http.StatusNoContent,
		"localhost:" + port:    http.StatusNoContent,
		"LOCALHOST:" + port:    http.StatusNoContent,
		"evil.example:" + port: http.StatusMisdirectedRequest,
		"evil.example":         http.StatusMisdirectedRequest,
		"127.0.0.1:1":          http.StatusMisdirectedRequest,
	} {
		req, _ := http.NewRequest("GET", base+"/crm/v3/properties/contacts", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestServeBoundsRequests: a body over the limit is cut off, and a client
// that stops sending in the middle of a request loses its connection.
func TestServeBoundsRequests(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				w.WriteHeader(http.StatusRequestEntityTooLarge)
			}
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	ln, err := ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServerWith(ln, h, limits{header: time.Second, read: 200 * time.Millisecond, idle: time.Second, body: 1 << 10})
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	resp, err := http.Post(base+"/", "application/json", strings.NewReader(strings.Repeat("x", 2<<10)))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 KiB body over a 1 KiB limit: %d, want 413", resp.StatusCode)
	}

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: 100\r\n\r\nx", ln.Addr())
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(conn); err != nil {
		t.Errorf("a request that stops halfway still holds its connection: %v", err)
	}
}
