package systems

import (
	"context"
	"fmt"
	"net"
	"net/http"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/model"
)

// ServeOptions tune a served sandbox.
type ServeOptions struct {
	// Addr is the loopback address to listen on.
	Addr string
	// Token, when set, is the only bearer token accepted.
	Token string
	// Faults is a fault-injection spec (emulator.ParseFaults).
	Faults string
}

// Server is a sandbox system listening on loopback, not yet serving.
type Server struct {
	System model.System
	// URL is where clients reach it: the HubSpot base URL, or the
	// Salesforce REST API root.
	URL string
	ln  net.Listener
	h   http.Handler
}

// faulty is what both sandbox flavours offer a server.
type faulty interface {
	http.Handler
	SetFaults(emulator.Faults)
}

// Listen opens the sandbox system called name ("" is spec.defaultSystem)
// of the repository in root and listens for it on opts.Addr.
func Listen(root string, p model.Project, name string, opts ServeOptions) (*Server, error) {
	sys, ok := p.System(name)
	if !ok || sys.Type != "sandbox" {
		return nil, fmt.Errorf("no sandbox system %q in mops.yaml (a system with type: sandbox)", name)
	}
	var faults emulator.Faults
	if opts.Faults != "" {
		f, err := emulator.ParseFaults(opts.Faults)
		if err != nil {
			return nil, fmt.Errorf("--faults: %w", err)
		}
		faults = f
	}
	state, seed, err := SandboxPaths(root, sys)
	if err != nil {
		return nil, err
	}
	var em faulty
	url := ""
	if sys.Flavor == "salesforce" {
		var o []sfsandbox.Option
		if opts.Token != "" {
			o = append(o, sfsandbox.WithToken(opts.Token))
		}
		sb, err := sfsandbox.Open(state, seed, o...)
		if err != nil {
			return nil, err
		}
		em, url = sb, "/services/data/"+sfapi.DefaultAPIVersion
	} else {
		var o []sandbox.Option
		if opts.Token != "" {
			o = append(o, sandbox.WithToken(opts.Token))
		}
		sb, err := sandbox.Open(state, seed, o...)
		if err != nil {
			return nil, err
		}
		em = sb
	}
	if opts.Faults != "" {
		em.SetFaults(faults)
	}
	ln, err := emulator.ListenLoopback(opts.Addr)
	if err != nil {
		return nil, err
	}
	return &Server{System: sys, URL: "http://" + ln.Addr().String() + url, ln: ln, h: em}, nil
}

// Serve serves until ctx is done, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context) error {
	return emulator.Serve(ctx, s.ln, s.h)
}
