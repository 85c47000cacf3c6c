// Package livetest is a fake live.Provider for unit tests of what is built
// on the Provider interface (plan, apply, drift): a system's properties,
// records and subscription types held in memory. It keeps the Provider
// contract the way the real providers do, on the same code (live's
// ObjectReader, ApplyActions and SetOptions guard, and Migrator): a
// re-read before every write, Changed=false when live already matches,
// *StaleError and *ReadOnlyError refusals, resumable migrations. It
// records the calls made, and a test can make any call fail.
//
// The emulators (packages sandbox and sfsandbox) stay for end-to-end
// tests through the real clients; Acme returns the state the HubSpot
// emulator holds for the example repository, as the HubSpot client reads
// it, so a unit test can start where an end-to-end test does.
package livetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/live"
)

// State is everything the fake holds. Its JSON form is the fixture format
// (see Load).
type State struct {
	// System is the Project system name the fake answers for.
	System string `json:"system"`
	// Capabilities are what the fake says it can do. DeletesOptions
	// false makes it remove options as Salesforce does: it hides them.
	Capabilities live.Capabilities `json:"capabilities"`
	// Objects maps each object the system knows to its properties and
	// records. A binding to any other object is an unknown object.
	Objects map[string]*Object `json:"objects"`
	// SubscriptionTypes are the system's subscription types.
	SubscriptionTypes []live.SubscriptionType `json:"subscriptionTypes,omitempty"`
	// Coverage is what the fake's counts leave out, except Kept, which
	// it counts from the records marked Kept.
	Coverage live.Coverage `json:"coverage,omitzero"`
}

// Object is one object type: its properties and records.
type Object struct {
	Properties []*live.Property `json:"properties"`
	Records    []*Record        `json:"records,omitempty"`
}

// Record is one record: property name → value (";"-separated for a
// multi-valued property). A property absent or "" has no value.
type Record struct {
	ID     string            `json:"id"`
	Values map[string]string `json:"values"`
	// Kept records are left alone by a migration unless it includes
	// them (as Salesforce leaves converted Leads), and counted only by
	// Coverage.
	Kept bool `json:"kept,omitempty"`
	// Refuses, when set, is why the record refuses every write (a
	// validation rule, say): a migration reports it and goes on.
	Refuses string `json:"refuses,omitempty"`
}

// Call is one call a test can see and fail.
type Call struct {
	// Op is "read", "count", "coverage", "apply", "migrate" or "batch"
	// (one batch write of a migration).
	Op string
	// Binding is the call's binding; empty for a read.
	Binding live.Binding
	// Action is the change's action, for apply.
	Action live.Action
	// Seq is the batch number, counting from 1 in each migration.
	Seq int
}

func (c Call) String() string {
	s := c.Op
	if c.Action != "" {
		s += " " + string(c.Action)
	}
	if c.Binding != (live.Binding{}) {
		s += " " + c.Binding.String()
	}
	if c.Seq > 0 {
		s += fmt.Sprintf(" #%d", c.Seq)
	}
	return s
}

// errUnknownObject is what fetching an object the system does not know
// fails with.
var errUnknownObject = errors.New("unknown object")

// BatchSize is the most records a migration batch of the fake holds.
const BatchSize = 100

// Provider is the fake. It is safe for concurrent use.
type Provider struct {
	mu    sync.Mutex
	st    *State
	calls []Call
	fail  func(Call) error
}

var _ live.Provider = (*Provider)(nil)

// New returns a fake holding st (which it takes over), with every
// property's system set and fingerprint computed.
func New(st *State) *Provider {
	if st.Objects == nil {
		st.Objects = map[string]*Object{}
	}
	for name, o := range st.Objects {
		for _, p := range o.Properties {
			p.Binding = live.Binding{System: st.System, Object: name, Property: p.Property}
			p.Fingerprint = live.FingerprintOf(p)
		}
	}
	return &Provider{st: st}
}

// FailWith makes every call for which fail returns an error fail with it
// (nil: no failures). It is consulted before a call changes anything.
func (f *Provider) FailWith(fail func(Call) error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = fail
}

// Calls returns the calls made so far, in order.
func (f *Provider) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// State returns a deep copy of what the fake holds.
func (f *Provider) State() *State {
	f.mu.Lock()
	defer f.mu.Unlock()
	return copyState(f.st)
}

// Edit changes the fake's state under its lock; fingerprints are computed
// again afterwards.
func (f *Provider) Edit(edit func(st *State)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	edit(f.st)
	for _, o := range f.st.Objects {
		for _, p := range o.Properties {
			p.Fingerprint = live.FingerprintOf(p)
		}
	}
}

// Holders lists the ids of the records that hold value in b's property
// (among others, for a multi-valued property).
func (f *Provider) Holders(b live.Binding, value string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, r := range f.records(b.Object) {
		if holds(r.Values[b.Property], value, f.multi(b)) {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// Property returns a copy of a property as the fake holds it.
func (f *Provider) Property(b live.Binding) (*live.Property, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.property(b)
	if p == nil {
		return nil, false
	}
	return copyProperty(p), true
}

// Value returns a record's value of a property, and whether the record
// exists.
func (f *Provider) Value(object, id, property string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.records(object) {
		if r.ID == id {
			return r.Values[property], true
		}
	}
	return "", false
}

// Capabilities implements live.Provider.
func (f *Provider) Capabilities() live.Capabilities { return f.st.Capabilities }

// Read implements live.Provider.
func (f *Provider) Read(ctx context.Context, req live.ReadRequest) (*live.Snapshot, error) {
	if err := f.begin(Call{Op: "read"}); err != nil {
		return nil, err
	}
	snap, err := live.ObjectReader[map[string]*live.Property]{
		Own: f.own,
		Fetch: func(_ context.Context, object string) (map[string]*live.Property, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			o := f.st.Objects[object]
			if o == nil {
				return nil, fmt.Errorf("%s: object %s: %w", f.st.System, object, errUnknownObject)
			}
			byName := map[string]*live.Property{}
			for _, p := range o.Properties {
				byName[p.Property] = copyProperty(p)
			}
			return byName, nil
		},
		Unknown: func(err error) bool { return errors.Is(err, errUnknownObject) },
		Pick: func(snap *live.Snapshot, b live.Binding, byName map[string]*live.Property) {
			if p, ok := byName[b.Property]; ok {
				snap.Properties[b] = p
			} else {
				snap.Missing = append(snap.Missing, b)
			}
		},
	}.Read(ctx, f.st.System, time.Now(), req.Bindings)
	if err != nil {
		return nil, err
	}
	if req.SubscriptionTypes {
		f.mu.Lock()
		snap.SubscriptionTypes = slices.Clone(f.st.SubscriptionTypes)
		f.mu.Unlock()
	}
	return snap, nil
}

// CountRecords implements live.Provider.
func (f *Provider) CountRecords(_ context.Context, b live.Binding, values []string) (map[string]int, error) {
	b, err := f.own(b)
	if err != nil {
		return nil, err
	}
	if err := f.begin(Call{Op: "count", Binding: b}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.property(b) == nil {
		return nil, fmt.Errorf("count %s: %w", b, live.ErrNotFound)
	}
	counts := make(map[string]int, len(values))
	for _, v := range values {
		if v == "" {
			return nil, fmt.Errorf("count %s: empty value", b)
		}
		counts[v] = 0
		for _, r := range f.records(b.Object) {
			if !r.Kept && holds(r.Values[b.Property], v, f.multi(b)) {
				counts[v]++
			}
		}
	}
	return counts, nil
}

// Coverage implements live.Provider: State.Coverage, with Kept counted
// from the records marked Kept.
func (f *Provider) Coverage(_ context.Context, b live.Binding, values []string) (live.Coverage, error) {
	b, err := f.own(b)
	if err != nil {
		return live.Coverage{}, err
	}
	if err := f.begin(Call{Op: "coverage", Binding: b}); err != nil {
		return live.Coverage{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cov := f.st.Coverage
	cov.Kept = nil
	for _, v := range values {
		for _, r := range f.records(b.Object) {
			if r.Kept && holds(r.Values[b.Property], v, f.multi(b)) {
				if cov.Kept == nil {
					cov.Kept = map[string]int{}
				}
				cov.Kept[v]++
			}
		}
	}
	return cov, nil
}

// Apply implements live.Provider. set-options replaces the options (or,
// without DeletesOptions, hides the ones the list leaves out, after the
// others); create-property creates a single-select enumeration.
func (f *Provider) Apply(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	return live.ApplyActions{Own: f.own, SetOptions: f.setOptions, CreateProperty: f.createProperty}.Apply(ctx, ch)
}

func (f *Provider) setOptions(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	var want []live.Option
	return live.SetOptions(ctx, ch,
		func(context.Context) (*live.Property, []live.Option, error) {
			if err := f.begin(Call{Op: "apply", Binding: ch.Binding, Action: ch.Action}); err != nil {
				return nil, nil, err
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			p := f.property(ch.Binding)
			if p == nil {
				return nil, nil, fmt.Errorf("%s: %w", ch.Binding, live.ErrNotFound)
			}
			want = f.planned(p, ch.Options)
			return copyProperty(p), want, nil
		},
		func(context.Context) (*live.Property, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			p := f.property(ch.Binding)
			p.Options = slices.Clone(want)
			p.Fingerprint = live.FingerprintOf(p)
			return copyProperty(p), nil
		})
}

// planned is the option list live would hold after setting opts.
func (f *Provider) planned(p *live.Property, opts []live.Option) []live.Option {
	want := slices.Clone(opts)
	if f.st.Capabilities.DeletesOptions {
		return want
	}
	for _, o := range p.Options {
		if !slices.ContainsFunc(opts, func(d live.Option) bool { return d.Value == o.Value }) {
			o.Hidden, o.DisplayOrder = true, len(want)
			want = append(want, o)
		}
	}
	return want
}

func (f *Provider) createProperty(_ context.Context, ch live.Change) (*live.ApplyResult, error) {
	if err := f.begin(Call{Op: "apply", Binding: ch.Binding, Action: ch.Action}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.property(ch.Binding); p != nil {
		if live.SameOptions(p.Options, ch.Options) {
			return &live.ApplyResult{Before: copyProperty(p), After: copyProperty(p)}, nil
		}
		return nil, fmt.Errorf("apply create-property to %s: exists with other options", ch.Binding)
	}
	o := f.st.Objects[ch.Object]
	if o == nil {
		return nil, fmt.Errorf("apply create-property to %s: object %s: %w", ch.Binding, ch.Object, errUnknownObject)
	}
	p := &live.Property{Binding: ch.Binding, Label: ch.Label, Type: "enumeration", FieldType: "select", Options: slices.Clone(ch.Options)}
	p.Fingerprint = live.FingerprintOf(p)
	o.Properties = append(o.Properties, p)
	return &live.ApplyResult{After: copyProperty(p), Changed: true}, nil
}

// MigrateRecords implements live.Provider, in batches of at most
// BatchSize.
func (f *Provider) MigrateRecords(ctx context.Context, m live.Migration, onBatch func(live.BatchResult) error) (live.MigrationResult, error) {
	seq := 0
	return live.Migrator{
		Own: f.own,
		Reread: func(_ context.Context, b live.Binding) (*live.Property, bool, error) {
			if err := f.begin(Call{Op: "migrate", Binding: b}); err != nil {
				return nil, false, err
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			p := f.property(b)
			if p == nil {
				return nil, false, fmt.Errorf("%s: %w", b, live.ErrNotFound)
			}
			return copyProperty(p), true, nil
		},
		Check: func(mg *live.Migrating) error {
			f.mu.Lock()
			includable := f.st.Coverage.Includable
			f.mu.Unlock()
			if mg.IncludeKept && !includable {
				return fmt.Errorf("%s: the records a migration keeps cannot be included here", mg.What)
			}
			return nil
		},
		Find: func(_ context.Context, mg *live.Migrating, emit func([]live.Held, int) error) error {
			f.mu.Lock()
			var held []live.Held
			for _, r := range f.records(mg.Object) {
				if r.Kept && !mg.IncludeKept {
					continue
				}
				if v := r.Values[mg.Binding.Property]; holds(v, mg.From, mg.Property.MultiValued) {
					held = append(held, live.Held{ID: r.ID, Value: v})
				}
			}
			f.mu.Unlock()
			if len(held) == 0 {
				return nil
			}
			return emit(held, len(held))
		},
		Write: func(_ context.Context, mg *live.Migrating, batch []live.Held) (live.BatchResult, error) {
			seq++
			if err := f.begin(Call{Op: "batch", Binding: mg.Binding, Seq: seq}); err != nil {
				return live.BatchResult{}, err
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			var br live.BatchResult
			for _, h := range batch {
				for _, r := range f.records(mg.Object) {
					switch {
					case r.ID != h.ID:
					case r.Refuses != "":
						br.Errors = append(br.Errors, live.RecordError{ID: r.ID, Message: r.Refuses})
					default:
						r.Values[mg.Binding.Property] = mg.NewValue(h.Value)
						br.Updated++
					}
				}
			}
			return br, nil
		},
		Most: BatchSize,
	}.Migrate(ctx, m, onBatch)
}

// begin records a call and returns the failure the test asked for.
func (f *Provider) begin(c Call) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	if f.fail == nil {
		return nil
	}
	return f.fail(c)
}

func (f *Provider) own(b live.Binding) (live.Binding, error) { return b.In(f.st.System) }

// property finds a property (callers hold f.mu).
func (f *Provider) property(b live.Binding) *live.Property {
	o := f.st.Objects[b.Object]
	if o == nil {
		return nil
	}
	for _, p := range o.Properties {
		if p.Property == b.Property {
			return p
		}
	}
	return nil
}

// records lists an object's records (callers hold f.mu).
func (f *Provider) records(object string) []*Record {
	if o := f.st.Objects[object]; o != nil {
		return o.Records
	}
	return nil
}

// multi reports whether b's property is multi-valued (callers hold f.mu).
func (f *Provider) multi(b live.Binding) bool {
	p := f.property(b)
	return p != nil && p.MultiValued
}

// holds reports whether a record value holds v.
func holds(value, v string, multi bool) bool {
	if multi {
		return slices.Contains(strings.Split(value, ";"), v)
	}
	return value == v
}

func copyProperty(p *live.Property) *live.Property {
	cp := *p
	cp.Options = slices.Clone(p.Options)
	return &cp
}

func copyState(st *State) *State {
	cp := *st
	cp.SubscriptionTypes = slices.Clone(st.SubscriptionTypes)
	cp.Objects = make(map[string]*Object, len(st.Objects))
	for name, o := range st.Objects {
		co := &Object{}
		for _, p := range o.Properties {
			co.Properties = append(co.Properties, copyProperty(p))
		}
		for _, r := range o.Records {
			cr := *r
			cr.Values = maps.Clone(r.Values)
			co.Records = append(co.Records, &cr)
		}
		cp.Objects[name] = co
	}
	return &cp
}
