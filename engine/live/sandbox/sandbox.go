package sandbox

import (
	"fmt"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// Sandbox is a HubSpot-compatible emulator. It is an http.Handler and safe
// for concurrent use.
type Sandbox struct {
	token string
	now   func() time.Time
	mux   *http.ServeMux

	mu    sync.Mutex
	state *State
	file  *emulator.StateFile[State] // where state is kept, and its last saved form

	emulator.Admin // faults for tests, requests per route

	fmu     sync.Mutex // guards the rate-limit windows and the day's count
	general *window    // nil: off
	search  *window    // nil: off
	daily   dailyCount
}

// Limits are the sandbox's own rate limits; it answers 429 beyond them.
// Zero fields switch that limit off.
type Limits struct {
	// Requests per Per for every call but search.
	Requests int
	Per      time.Duration
	// SearchPerSecond for search calls.
	SearchPerSecond int
	// Daily is the day's allowance of requests.
	Daily int
}

// DefaultLimits are HubSpot's private-app limits on Free/Starter accounts.
func DefaultLimits() Limits {
	return Limits{Requests: 100, Per: 10 * time.Second, SearchPerSecond: 4, Daily: 250_000}
}

type config struct {
	token  string
	limits Limits
	now    func() time.Time
}

// Option configures a Sandbox.
type Option func(*config)

// WithToken makes the sandbox accept only this bearer token. By default
// any non-empty token is accepted.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithLimits sets the sandbox's rate limits. Default DefaultLimits().
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// WithClock sets the sandbox's clock (timestamps and rate windows).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Open returns a sandbox kept in the file statePath. If that file does not
// exist yet, the state is created from the seed file seedPath (or, when
// seedPath is empty, as four empty object types) and written at once; later
// opens ignore the seed. An empty statePath keeps the state in memory only.
func Open(statePath, seedPath string, opts ...Option) (*Sandbox, error) {
	cfg := newConfig(opts)
	now := cfg.now()
	st, file, err := emulator.OpenState(statePath,
		func(path string) (*State, error) { return readState(path, now) },
		func() (*State, error) {
			if seedPath == "" {
				return emptyState(), nil
			}
			return readState(seedPath, now)
		})
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	return newSandbox(st, file, cfg), nil
}

// FromState returns an in-memory sandbox holding st (which it takes over).
func FromState(st *State, opts ...Option) (*Sandbox, error) {
	cfg := newConfig(opts)
	if st == nil {
		st = emptyState()
	}
	if err := st.normalise(cfg.now()); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	return newSandbox(st, &emulator.StateFile[State]{}, cfg), nil
}

func newConfig(opts []Option) config {
	cfg := config{limits: DefaultLimits(), now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

func newSandbox(st *State, file *emulator.StateFile[State], cfg config) *Sandbox {
	s := &Sandbox{
		file:  file,
		token: cfg.token,
		now:   cfg.now,
		state: st,
	}
	if l := cfg.limits; l.Requests > 0 && l.Per > 0 {
		s.general = &window{max: l.Requests, per: l.Per}
	}
	if l := cfg.limits; l.SearchPerSecond > 0 {
		s.search = &window{max: l.SearchPerSecond, per: time.Second}
	}
	s.daily.max = cfg.limits.Daily
	s.mux = s.routes()
	return s
}

// Property returns a copy of one property definition.
func (s *Sandbox) Property(objectType, name string) (hsapi.Property, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.state.Objects[objectType]
	if o == nil {
		return hsapi.Property{}, false
	}
	p := o.property(name)
	if p == nil {
		return hsapi.Property{}, false
	}
	cp := *p
	cp.Options = append([]hsapi.Option(nil), p.Options...)
	return cp, true
}

// RecordValues returns a copy of one record's property values.
func (s *Sandbox) RecordValues(objectType, id string) (map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.state.Objects[objectType]; o != nil {
		for _, r := range o.Records {
			if r.ID == id {
				return maps.Clone(r.Properties), true
			}
		}
	}
	return nil, false
}

// commit persists a mutation; if that fails, it rolls the in-memory state
// back to what was last persisted (callers hold s.mu).
func (s *Sandbox) commit() error { return s.file.Commit(s.state) }

// State returns a deep copy of the whole state.
func (s *Sandbox) State() *State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return emulator.Copy(s.state)
}
