// Package systems picks, opens and skips the live systems a command works
// on (mops.yaml spec.systems): the HubSpot and Salesforce clients, and the
// built-in sandboxes, which are reached through the same clients over
// loopback HTTP. It is the only package above the vendor packages that
// knows them; everything else sees a live.Provider.
package systems

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repofs"
)

// Connection is an open provider and what closes it.
type Connection struct {
	System   model.System
	Provider live.Provider
	close    func() error
}

// Close releases the connection (stops an in-process sandbox).
func (c *Connection) Close() error {
	if c.close == nil {
		return nil
	}
	return c.close()
}

// UnreachableError is a system mops cannot reach from here without it
// being anyone's fault: its token variable is unset. Selecting every bound
// system skips it rather than failing.
type UnreachableError struct {
	System string
	// Reason names what is missing, e.g. "environment variable
	// HUBSPOT_TOKEN is not set; it must hold ...".
	Reason string
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("system %s: not reachable from here: %s", e.System, e.Reason)
}

// Option configures how systems are opened.
type Option func(*options)

type options struct {
	log *slog.Logger
}

// WithLogger sends the live-system clients' log records to l: each retry
// at Info, a Salesforce org's API usage running high at Warn. Records
// never carry credentials.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// sandboxToken is what mops sends to its own in-process sandbox. It is not
// a secret: the sandbox listens on loopback only and holds no real data.
const sandboxToken = "mops-sandbox"

// Open connects to the system called name ("" is spec.defaultSystem) of
// Project p. root is the repository folder, against which sandbox paths
// resolve; getenv reads the variables that mops.yaml names. A system
// whose token variable is unset is an *UnreachableError. A Salesforce org
// with auth gets its first token here, within ctx.
func Open(ctx context.Context, root string, p model.Project, name string, getenv func(string) string, opts ...Option) (*Connection, error) {
	sys, err := lookup(p, name)
	if err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return open(ctx, root, sys, getenv, o)
}

// open connects to sys.
func open(ctx context.Context, root string, sys model.System, getenv func(string) string, o options) (*Connection, error) {
	switch sys.Type {
	case "sandbox":
		if sys.State == "" {
			return nil, fmt.Errorf("system %s: type sandbox needs spec.systems[].state (where the sandbox keeps its data)", sys.Name)
		}
		state, seed, err := SandboxPaths(root, sys)
		if err != nil {
			return nil, err
		}
		var start func() (string, func() error, error)
		var connect func(url string) (live.Provider, error)
		if sys.Flavor == "salesforce" {
			sb, err := sfsandbox.Open(state, seed, sfsandbox.WithToken(sandboxToken))
			if err != nil {
				return nil, fmt.Errorf("open sandbox %s: %w", sys.Name, err)
			}
			start = sb.Start
			connect = func(url string) (live.Provider, error) {
				return salesforce.New(url, sandboxToken, salesforce.WithSystem(sys.Name), salesforce.WithAPIVersion(sys.APIVersion), salesforce.WithLogger(o.log),
					salesforce.WithBulkThreshold(sys.BulkThreshold))
			}
		} else {
			sb, err := sandbox.Open(state, seed, sandbox.WithToken(sandboxToken))
			if err != nil {
				return nil, fmt.Errorf("open sandbox %s: %w", sys.Name, err)
			}
			start = sb.Start
			connect = func(url string) (live.Provider, error) {
				return hubspot.New(url, sandboxToken, hubspot.WithSystem(sys.Name), hubspot.WithLogger(o.log), hubspotVersion(sys))
			}
		}
		url, stop, err := start()
		if err != nil {
			return nil, fmt.Errorf("start sandbox %s: %w", sys.Name, err)
		}
		p, err := connect(url)
		if err != nil {
			_ = stop()
			return nil, fmt.Errorf("connect to sandbox %s: %w", sys.Name, err)
		}
		return &Connection{System: sys, Provider: p, close: stop}, nil
	case "hubspot":
		if sys.TokenEnv == "" {
			return nil, fmt.Errorf("system %s: type hubspot needs spec.systems[].tokenEnv, the name of the environment variable holding the service key or private-app token", sys.Name)
		}
		token := getenv(sys.TokenEnv)
		if token == "" {
			return nil, &UnreachableError{System: sys.Name, Reason: fmt.Sprintf("environment variable %s is not set; it must hold the HubSpot service key or private-app token", sys.TokenEnv)}
		}
		c, err := hubspot.New(cmp.Or(sys.BaseURL, hubspot.DefaultBaseURL), token, hubspot.WithSystem(sys.Name), hubspot.WithLogger(o.log), hubspotVersion(sys))
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", sys.Name, err)
		}
		return &Connection{System: sys, Provider: c}, nil
	case "salesforce":
		return openSalesforce(ctx, sys, getenv, o)
	}
	return nil, fmt.Errorf("system %s: unknown type %q; supported: sandbox, hubspot, salesforce", sys.Name, sys.Type)
}

// hubspotVersion is the API version mops.yaml sets for a HubSpot system,
// or the client's default.
func hubspotVersion(sys model.System) hubspot.Option {
	return hubspot.WithAPIVersion(cmp.Or(sys.APIVersion, hsapi.DefaultVersion))
}

// SandboxPaths returns where a sandbox system keeps its state and reads
// its seed (empty when it has none), after checking that both stay inside
// the repository at root: mops.yaml is the repository's, and a pull
// request must not make a run write or read elsewhere.
func SandboxPaths(root string, sys model.System) (state, seed string, err error) {
	if state, err = repofs.Inside(root, sys.State); err != nil {
		return "", "", fmt.Errorf("system %s: spec.systems[].state %w", sys.Name, err)
	}
	if sys.Seed != "" {
		if seed, err = repofs.Inside(root, sys.Seed); err != nil {
			return "", "", fmt.Errorf("system %s: spec.systems[].seed %w", sys.Name, err)
		}
	}
	return state, seed, nil
}

// lookup finds the system called name ("" is spec.defaultSystem).
func lookup(p model.Project, name string) (model.System, error) {
	if sys, ok := p.System(name); ok {
		return sys, nil
	}
	name = cmp.Or(name, p.DefaultSystem)
	if name == "" {
		return model.System{}, fmt.Errorf("no system given and mops.yaml sets no spec.defaultSystem; use --system NAME")
	}
	var names []string
	for _, s := range p.Systems {
		names = append(names, s.Name)
	}
	return model.System{}, fmt.Errorf("no system %q in mops.yaml; systems: %s", name, strings.Join(names, ", "))
}
