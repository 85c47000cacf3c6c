package sfsandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/live/sandbox"
)

// Serve serves sb on addr (loopback only, as sandbox.ListenLoopback
// checks) until ctx is done, then shuts down gracefully.
func Serve(ctx context.Context, addr string, sb *Sandbox) error {
	ln, err := sandbox.ListenLoopback(addr)
	if err != nil {
		return err
	}
	return ServeListener(ctx, ln, sb)
}

// ServeListener serves sb on ln until ctx is done. It closes ln.
func ServeListener(ctx context.Context, ln net.Listener, sb *Sandbox) error {
	srv := newServer(sb)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("sfsandbox: serve: %w", err)
	case <-ctx.Done():
	}
	if err := shutdown(srv, 5*time.Second); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("sfsandbox: serve: %w", err)
	}
	return nil
}

// Start serves the sandbox on a free loopback port in the background, for
// in-process use: give instanceURL to salesforce.New. stop shuts the server
// down; calling it again returns the first result.
func (s *Sandbox) Start() (instanceURL string, stop func() error, err error) {
	ln, err := sandbox.ListenLoopback("127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := newServer(s)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	stop = sync.OnceValue(func() error {
		if err := shutdown(srv, 2*time.Second); err != nil {
			return err
		}
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("sfsandbox: serve: %w", err)
		}
		return nil
	})
	return "http://" + ln.Addr().String(), stop, nil
}

func newServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
}

// shutdown stops srv gracefully, waiting up to grace for requests in
// flight, then closes what is left.
func shutdown(srv *http.Server, grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	if err != nil {
		return fmt.Errorf("sfsandbox: shut down: %w", err)
	}
	return nil
}
