package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ListenLoopback listens on addr, which must be a loopback address
// (127.0.0.1:PORT, [::1]:PORT or localhost:PORT; port 0 picks one). An
// emulator accepts any token, so it must never be reachable from
// elsewhere.
func ListenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: address %q: %w", addr, err)
	}
	if host == "localhost" {
		addr = net.JoinHostPort("127.0.0.1", addr[len(host)+1:])
	} else if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("sandbox: address %q: the sandbox serves on loopback only (127.0.0.1, ::1 or localhost)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen: %w", err)
	}
	return ln, nil
}

// Serve serves h on ln until ctx is done, then shuts down gracefully. It
// closes ln.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := newServer(ln, h)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("sandbox: serve: %w", err)
	case <-ctx.Done():
	}
	if err := shutdown(srv, 5*time.Second); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("sandbox: serve: %w", err)
	}
	return nil
}

// Start serves h on a free loopback port in the background, for
// in-process use, and returns its base URL and the function that stops it
// (calling it again returns the first result).
func Start(h http.Handler) (baseURL string, stop func() error, err error) {
	ln, err := ListenLoopback("127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := newServer(ln, h)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	stop = sync.OnceValue(func() error {
		if err := shutdown(srv, 2*time.Second); err != nil {
			return err
		}
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("sandbox: serve: %w", err)
		}
		return nil
	})
	return "http://" + ln.Addr().String(), stop, nil
}

// limits bound the server around an emulator: how long a client may take
// to send a request's headers and the whole request, how long an idle
// connection stays open, and how large a body may be.
type limits struct {
	header, read, idle time.Duration
	body               int64
}

// serverLimits are generous for any client mops or a test writes, and
// keep a client that trickles or never finishes a request from holding a
// connection (HubSpot and Salesforce refuse bodies far smaller than 16 MiB).
func serverLimits() limits {
	return limits{header: 10 * time.Second, read: 30 * time.Second, idle: 2 * time.Minute, body: 16 << 20}
}

// newServer serves h on ln within serverLimits, and only to requests
// addressed to ln's own address (sameHost).
func newServer(ln net.Listener, h http.Handler) *http.Server {
	return newServerWith(ln, h, serverLimits())
}

func newServerWith(ln net.Listener, h http.Handler, l limits) *http.Server {
	return &http.Server{
		Handler:           sameHost(ln.Addr().String(), http.MaxBytesHandler(h, l.body)),
		ReadHeaderTimeout: l.header,
		ReadTimeout:       l.read,
		IdleTimeout:       l.idle,
	}
}

// sameHost answers 421 Misdirected Request to a request whose Host header
// is not the listening address (127.0.0.1:PORT, [::1]:PORT, or
// localhost:PORT): a web page whose name an attacker's DNS rebinds to
// 127.0.0.1 reaches the port from the user's browser, but names its own
// host. The emulator accepts any token, so only the address itself may
// use it.
func sameHost(addr string, h http.Handler) http.Handler {
	_, port, _ := net.SplitHostPort(addr)
	allowed := map[string]bool{addr: true, net.JoinHostPort("localhost", port): true}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed[strings.ToLower(r.Host)] {
			http.Error(w, fmt.Sprintf("this sandbox answers only requests to %s or localhost:%s, not to %q", addr, port, r.Host), http.StatusMisdirectedRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// shutdown stops srv gracefully, waiting up to grace for requests in
// flight; then it closes what is left (such as connections a client opened
// but never used, which Shutdown would otherwise wait 5 s for).
func shutdown(srv *http.Server, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	if err != nil {
		return fmt.Errorf("sandbox: shut down: %w", err)
	}
	return nil
}
