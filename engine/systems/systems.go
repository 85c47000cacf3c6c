// Package systems connects a Project's systems (mops.yaml spec.systems) to
// live providers: the built-in sandbox, HubSpot. The sandbox is reached
// through the same HubSpot client as production, over loopback HTTP.
package systems

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/model"
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

// ErrUnreachable marks a system mops cannot reach from here (its token
// variable is unset, or its provider is not built): planning every bound
// system skips it with a warning rather than failing.
var ErrUnreachable = errors.New("not reachable from here")

// Bound lists the systems the repository's taxonomies and lifecycle models
// are bound to, sorted.
func Bound(b *model.Bundle) []string {
	seen := map[string]bool{}
	for _, d := range b.Docs {
		if d.Kind != model.KindTaxonomy && d.Kind != model.KindLifecycleModel {
			continue
		}
		list, _ := d.Spec()["bindings"].([]any)
		for _, item := range list {
			if m, ok := item.(map[string]any); ok {
				if s, ok := m["system"].(string); ok && s != "" {
					seen[s] = true
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Option configures how Open connects.
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

// Open connects to the system named name (the Project default when empty).
// root is the repository folder, against which sandbox paths resolve;
// getenv reads the token variables that mops.yaml names.
func Open(root string, p model.Project, name string, getenv func(string) string, opts ...Option) (*Connection, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	sys, ok := p.System(name)
	if !ok {
		return nil, unknownSystem(p, cmp.Or(name, p.DefaultSystem))
	}
	switch sys.Type {
	case "sandbox":
		if sys.State == "" {
			return nil, fmt.Errorf("system %s: type sandbox needs spec.systems[].state (where the sandbox keeps its data)", sys.Name)
		}
		seed := ""
		if sys.Seed != "" {
			seed = Resolve(root, sys.Seed)
		}
		if sys.Flavor == "salesforce" {
			return openSalesforceSandbox(sys, Resolve(root, sys.State), seed, o)
		}
		sb, err := sandbox.Open(Resolve(root, sys.State), seed, sandbox.WithToken(sandboxToken))
		if err != nil {
			return nil, fmt.Errorf("open sandbox %s: %w", sys.Name, err)
		}
		baseURL, stop, err := sb.Start()
		if err != nil {
			return nil, fmt.Errorf("start sandbox %s: %w", sys.Name, err)
		}
		c, err := hubspot.New(baseURL, sandboxToken, hubspot.WithSystem(sys.Name), hubspot.WithLogger(o.log))
		if err != nil {
			_ = stop()
			return nil, fmt.Errorf("connect to sandbox %s: %w", sys.Name, err)
		}
		return &Connection{System: sys, Provider: c, close: stop}, nil
	case "hubspot":
		if sys.TokenEnv == "" {
			return nil, fmt.Errorf("system %s: type hubspot needs spec.systems[].tokenEnv, the name of the environment variable holding the private-app token", sys.Name)
		}
		token := getenv(sys.TokenEnv)
		if token == "" {
			return nil, fmt.Errorf("system %s: %w: environment variable %s is not set; it must hold the HubSpot private-app token", sys.Name, ErrUnreachable, sys.TokenEnv)
		}
		c, err := hubspot.New(cmp.Or(sys.BaseURL, hubspot.DefaultBaseURL), token, hubspot.WithSystem(sys.Name), hubspot.WithLogger(o.log))
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", sys.Name, err)
		}
		return &Connection{System: sys, Provider: c}, nil
	case "salesforce":
		if sys.InstanceURL == "" || sys.TokenEnv == "" {
			return nil, fmt.Errorf("system %s: type salesforce needs spec.systems[].instanceURL and tokenEnv (the name of the environment variable holding an OAuth access token)", sys.Name)
		}
		token := getenv(sys.TokenEnv)
		if token == "" {
			return nil, fmt.Errorf("system %s: %w: environment variable %s is not set; it must hold a Salesforce access token", sys.Name, ErrUnreachable, sys.TokenEnv)
		}
		c, err := salesforce.New(sys.InstanceURL, token, salesforce.WithSystem(sys.Name), salesforce.WithAPIVersion(sys.APIVersion),
			salesforce.WithLogger(o.log))
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", sys.Name, err)
		}
		return &Connection{System: sys, Provider: c}, nil
	}
	return nil, fmt.Errorf("system %s: unknown type %q; supported: sandbox, hubspot, salesforce", sys.Name, sys.Type)
}

// Resolve makes a path from mops.yaml absolute: relative paths are relative
// to the repository root.
func Resolve(root, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(root, p)
}

func unknownSystem(p model.Project, name string) error {
	var names []string
	for _, s := range p.Systems {
		names = append(names, s.Name)
	}
	if name == "" {
		return errors.New("no system given and mops.yaml sets no spec.defaultSystem; use --system NAME")
	}
	return fmt.Errorf("no system %q in mops.yaml; systems: %s", name, strings.Join(names, ", "))
}

// openSalesforceSandbox starts the Salesforce emulator of a sandbox system
// with flavor salesforce and connects the Salesforce client to it.
func openSalesforceSandbox(sys model.System, state, seed string, o options) (*Connection, error) {
	sb, err := sfsandbox.Open(state, seed, sfsandbox.WithToken(sandboxToken))
	if err != nil {
		return nil, fmt.Errorf("open sandbox %s: %w", sys.Name, err)
	}
	url, stop, err := sb.Start()
	if err != nil {
		return nil, fmt.Errorf("start sandbox %s: %w", sys.Name, err)
	}
	c, err := salesforce.New(url, sandboxToken, salesforce.WithSystem(sys.Name), salesforce.WithLogger(o.log))
	if err != nil {
		_ = stop()
		return nil, fmt.Errorf("connect to sandbox %s: %w", sys.Name, err)
	}
	return &Connection{System: sys, Provider: c, close: stop}, nil
}
