// Package systems connects a Project's systems (mops.yaml spec.systems) to
// live providers: the built-in sandbox, HubSpot. The sandbox is reached
// through the same HubSpot client as production, over loopback HTTP.
package systems

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/sandbox"
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

// sandboxToken is what mops sends to its own in-process sandbox. It is not
// a secret: the sandbox listens on loopback only and holds no real data.
const sandboxToken = "mops-sandbox"

// Open connects to the system named name (the Project default when empty).
// root is the repository folder, against which sandbox paths resolve;
// getenv reads the token variables that mops.yaml names.
func Open(root string, p model.Project, name string, getenv func(string) string) (*Connection, error) {
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
		sb, err := sandbox.Open(Resolve(root, sys.State), seed, sandbox.WithToken(sandboxToken))
		if err != nil {
			return nil, fmt.Errorf("open sandbox %s: %w", sys.Name, err)
		}
		baseURL, stop, err := sb.Start()
		if err != nil {
			return nil, fmt.Errorf("start sandbox %s: %w", sys.Name, err)
		}
		c, err := hubspot.New(baseURL, sandboxToken, hubspot.WithSystem(sys.Name))
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
			return nil, fmt.Errorf("system %s: environment variable %s is not set; it must hold the HubSpot private-app token", sys.Name, sys.TokenEnv)
		}
		c, err := hubspot.New(cmp.Or(sys.BaseURL, "https://api.hubapi.com"), token, hubspot.WithSystem(sys.Name))
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", sys.Name, err)
		}
		return &Connection{System: sys, Provider: c}, nil
	case "salesforce":
		return nil, fmt.Errorf("system %s: %w: the Salesforce provider is not built yet", sys.Name, live.ErrUnsupported)
	}
	return nil, fmt.Errorf("system %s: unknown type %q; supported: sandbox, hubspot", sys.Name, sys.Type)
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
