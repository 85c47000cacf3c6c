package sfsandbox

import (
	"context"
	"net"

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
	return sandbox.ServeHandler(ctx, ln, sb)
}

// Start serves the sandbox on a free loopback port in the background, for
// in-process use: give instanceURL to salesforce.New. stop shuts the server
// down; calling it again returns the first result.
func (s *Sandbox) Start() (instanceURL string, stop func() error, err error) {
	return sandbox.StartHandler(s)
}
