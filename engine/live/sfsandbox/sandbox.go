package sfsandbox

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Sandbox is a Salesforce emulator. It is an http.Handler and safe for
// concurrent use.
type Sandbox struct {
	token    string
	pageSize int
	apps     []App
	mux      *http.ServeMux

	tmu    sync.Mutex      // guards issued
	issued map[string]bool // access tokens the token endpoint issued

	now      func() time.Time
	bulkRate float64 // ingest records processed per second; 0: at once
	bulk     jobStore

	mu    sync.Mutex
	state *State
	file  *emulator.StateFile[State] // where state is kept, and its last saved form

	emulator.Admin // faults for tests, requests per route

	fmu    sync.Mutex // guards usage and stamps
	usage  sfapi.LimitInfo
	window time.Duration // the allocation's rolling window; 0: none
	stamps []time.Time   // when each request in the window came

	qmu     sync.Mutex
	cursors *cursorStore
}

type config struct {
	token       string
	pageSize    int
	usage       sfapi.LimitInfo
	window      time.Duration
	apps        []App
	now         func() time.Time
	bulkRate    float64
	bulkBatches *int
}

// Option configures a Sandbox.
type Option func(*config)

// WithToken makes the sandbox accept only this bearer token. By default
// any non-empty token is accepted.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithPageSize sets how many records a query page holds (default and
// maximum 2000, as in Salesforce); tests lower it to exercise paging.
func WithPageSize(n int) Option { return func(c *config) { c.pageSize = n } }

// WithAllocationWindow makes the daily allocation a rolling window of d
// on the sandbox's clock (WithClock), as Salesforce's is of 24 hours: a
// request counts against the allocation for d after it came. Without it,
// every request counts for ever. Benchmarks run a day in minutes this way.
func WithAllocationWindow(d time.Duration) Option { return func(c *config) { c.window = d } }

// WithAPIUsage sets the org's API usage the sandbox starts from and its
// daily allocation (default 0 of 100,000). Every API request adds one and
// is reported in Sforce-Limit-Info; at the allocation the sandbox answers
// 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded."
func WithAPIUsage(used, allocation int) Option {
	return func(c *config) { c.usage = sfapi.LimitInfo{Used: used, Max: allocation} }
}

// DefaultAllocation is the daily API allocation the sandbox reports.
const DefaultAllocation = 100_000

// Open returns a sandbox kept in the file statePath. If that file does not
// exist yet, the state is created from the seed file seedPath (or, when
// seedPath is empty, the default state: Lead, Contact, Account,
// Opportunity and Campaign with their standard picklists) and written at
// once; later opens ignore the seed. An empty statePath keeps the state in
// memory only.
func Open(statePath, seedPath string, opts ...Option) (*Sandbox, error) {
	st, file, err := emulator.OpenState(statePath, readState, func() (*State, error) {
		if seedPath == "" {
			return defaultState()
		}
		return readState(seedPath)
	})
	if err != nil {
		return nil, fmt.Errorf("sfsandbox: %w", err)
	}
	return newSandbox(st, file, newConfig(opts)), nil
}

// FromState returns an in-memory sandbox holding st (which it takes over);
// nil means the default state.
func FromState(st *State, opts ...Option) (*Sandbox, error) {
	var err error
	if st == nil {
		st, err = defaultState()
	} else {
		err = st.normalise()
	}
	if err != nil {
		return nil, fmt.Errorf("sfsandbox: %w", err)
	}
	return newSandbox(st, &emulator.StateFile[State]{}, newConfig(opts)), nil
}

func newConfig(opts []Option) config {
	cfg := config{pageSize: sfapi.MaxQueryBatch, usage: sfapi.LimitInfo{Max: DefaultAllocation}, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.pageSize <= 0 || cfg.pageSize > sfapi.MaxQueryBatch {
		cfg.pageSize = sfapi.MaxQueryBatch
	}
	if cfg.usage.Max <= 0 {
		cfg.usage.Max = DefaultAllocation
	}
	return cfg
}

func newSandbox(st *State, file *emulator.StateFile[State], cfg config) *Sandbox {
	s := &Sandbox{
		file:     file,
		token:    cfg.token,
		pageSize: cfg.pageSize,
		apps:     cfg.apps,
		issued:   map[string]bool{},
		now:      cfg.now,
		bulkRate: cfg.bulkRate,
		bulk:     jobStore{jobs: map[string]*ingestJob{}, allocation: DailyBulkBatches},
		state:    st,
		usage:    cfg.usage,
		window:   cfg.window,
		cursors:  newCursorStore(),
	}
	if cfg.bulkBatches != nil {
		s.bulk.allocation = *cfg.bulkBatches
	}
	s.mux = s.routes()
	return s
}

// Values returns a copy of the values of a picklist field, wherever they
// live (own values, global or standard value set).
func (s *Sandbox) Values(object, field string) ([]sfapi.CustomValue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.state.Objects[object]
	if o == nil {
		return nil, false
	}
	f := o.field(field)
	if f == nil {
		return nil, false
	}
	return cloneValues(s.state.values(f)), true
}

// RecordValue returns one field of one record ("" for null).
func (s *Sandbox) RecordValue(object, id, field string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.state.Objects[object]; o != nil {
		if r := o.record(id); r != nil {
			return r.Fields[field], true
		}
	}
	return "", false
}

// Holders lists the Ids of the records of object whose field is value,
// compared as SOQL compares it: without regard to case.
func (s *Sandbox) Holders(object, field, value string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	if o := s.state.Objects[object]; o != nil {
		for _, r := range o.Records {
			if strings.EqualFold(r.Fields[field], value) {
				ids = append(ids, r.ID)
			}
		}
	}
	return ids
}

// Usage returns the API usage the sandbox reports.
func (s *Sandbox) Usage() sfapi.LimitInfo {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.usage
}

// SetUsage sets the API usage the sandbox reports from now on.
func (s *Sandbox) SetUsage(used, allocation int) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.usage = sfapi.LimitInfo{Used: used, Max: max(1, allocation)}
}

// cloneValues returns a deep copy of vals.
func cloneValues(vals []sfapi.CustomValue) []sfapi.CustomValue { return *emulator.Copy(&vals) }

// commit persists a mutation; if that fails, it rolls the in-memory state
// back to what was last persisted (callers hold s.mu).
func (s *Sandbox) commit() error { return s.file.Commit(s.state) }

// State returns a deep copy of the whole state.
func (s *Sandbox) State() *State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return emulator.Copy(s.state)
}
