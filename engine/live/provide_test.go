package live_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
)

var region = live.Binding{System: "s", Object: "contacts", Property: "region"}

func own(b live.Binding) (live.Binding, error) { return b.In("s") }

func prop(opts ...live.Option) *live.Property {
	p := &live.Property{Binding: region, Type: "enumeration", Options: opts}
	p.Fingerprint = live.FingerprintOf(p)
	return p
}

// TestSetOptionsGuard: the order of the checks every provider's Apply
// makes, and that nothing is written unless all pass.
func TestSetOptionsGuard(t *testing.T) {
	emea := live.Option{Value: "emea", Label: "EMEA"}
	na := live.Option{Value: "na", Label: "NA", DisplayOrder: 1}
	readOnly := prop(emea)
	readOnly.ReadOnlyOptions = true
	cases := []struct {
		name    string
		live    *live.Property
		expect  string // ExpectFingerprint
		probe   bool
		want    []live.Option
		writes  int
		changed bool
		err     string
	}{
		{"already so, even when the plan is stale", prop(emea, na), "sha256:old", false, []live.Option{emea, na}, 0, false, ""},
		{"stale", prop(emea), "sha256:old", false, []live.Option{emea, na}, 0, false, "changed since plan"},
		{"read-only", readOnly, "", false, []live.Option{emea, na}, 0, false, "options are read-only"},
		{"written", prop(emea), prop(emea).Fingerprint, false, []live.Option{emea, na}, 1, true, ""},
		// A probe says whether it would write, and never does.
		{"probe, already so", prop(emea, na), "", true, []live.Option{emea, na}, 0, false, ""},
		{"probe, would write", prop(emea), "", true, []live.Option{emea, na}, 0, true, ""},
		{"probe of read-only options", readOnly, "", true, []live.Option{emea, na}, 0, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			writes := 0
			res, err := live.SetOptions(context.Background(), live.Change{Binding: region, ExpectFingerprint: tc.expect, Probe: tc.probe},
				func(context.Context) (*live.Property, []live.Option, error) { return tc.live, tc.want, nil },
				func(context.Context) (*live.Property, error) { writes++; return prop(tc.want...), nil })
			if (err != nil) != (tc.err != "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if writes != tc.writes {
				t.Errorf("%d writes, want %d", writes, tc.writes)
			}
			if err == nil && res.Changed != tc.changed {
				t.Errorf("changed %v, want %v", res.Changed, tc.changed)
			}
		})
	}
	boom := errors.New("boom")
	_, err := live.SetOptions(context.Background(), live.Change{Binding: region},
		func(context.Context) (*live.Property, []live.Option, error) { return nil, nil, boom }, nil)
	if !errors.Is(err, boom) || err.Error() != "apply set-options to s:contacts.region: re-read: boom" {
		t.Errorf("re-read error %v", err)
	}
	_, err = live.SetOptions(context.Background(), live.Change{Binding: region},
		func(context.Context) (*live.Property, []live.Option, error) { return prop(), []live.Option{emea}, nil },
		func(context.Context) (*live.Property, error) { return nil, boom })
	if !errors.Is(err, boom) || err.Error() != "apply set-options to s:contacts.region: boom" {
		t.Errorf("write error %v", err)
	}
}

func TestApplyActionsChecksFirst(t *testing.T) {
	called := ""
	acts := live.ApplyActions{
		Own:            own,
		SetOptions:     func(context.Context, live.Change) (*live.ApplyResult, error) { called = "set"; return nil, nil },
		CreateProperty: func(context.Context, live.Change) (*live.ApplyResult, error) { called = "create"; return nil, nil },
	}
	ok := []live.Option{{Value: "a", Label: "A"}}
	cases := []struct {
		name string
		ch   live.Change
		fold bool
		want string // the action called, or the error
	}{
		{"set", live.Change{Binding: live.Binding{Object: "o", Property: "p"}, Action: live.ActionSetOptions, Options: ok}, false, "set"},
		{"create", live.Change{Binding: live.Binding{Object: "o", Property: "p"}, Action: live.ActionCreateProperty, Options: ok}, false, "create"},
		{"other system", live.Change{Binding: live.Binding{System: "t", Object: "o", Property: "p"}, Action: live.ActionSetOptions}, false, "s: binding t:o.p belongs to another system"},
		{"no property", live.Change{Binding: live.Binding{Object: "o"}, Action: live.ActionSetOptions}, false, "object and property are required"},
		{"unknown action", live.Change{Binding: live.Binding{Object: "o", Property: "p"}, Action: "rename"}, false, `apply "rename" to s:o.p: unsupported action`},
		{"probe of a creation", live.Change{Binding: live.Binding{Object: "o", Property: "p"}, Action: live.ActionCreateProperty, Options: ok, Probe: true}, false, "apply create-property to s:o.p: only set-options can be probed"},
		{"empty label", live.Change{Binding: live.Binding{Object: "o", Property: "p"}, Action: live.ActionSetOptions, Options: []live.Option{{Value: "a"}}}, false, `option "a": empty label`},
		{"twice", live.Change{Binding: live.Binding{Object: "o", Property: "p"}, Action: live.ActionSetOptions, Options: []live.Option{{Value: "a", Label: "A"}, {Value: "a", Label: "B"}}}, false, `option "a": listed twice`},
		{"case differs", live.Change{Binding: live.Binding{Object: "o", Property: "p"}, Action: live.ActionSetOptions, Options: []live.Option{{Value: "a", Label: "A"}, {Value: "A", Label: "B"}}}, false, "set"},
		{"case differs, folded", live.Change{Binding: live.Binding{Object: "o", Property: "p"}, Action: live.ActionSetOptions, Options: []live.Option{{Value: "a", Label: "A"}, {Value: "A", Label: "B"}}}, true, `option "A": listed twice (the system ignores case`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			called = ""
			a := acts
			a.FoldCase = tc.fold
			_, err := a.Apply(context.Background(), tc.ch)
			got := called
			if err != nil {
				got = err.Error()
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// fakeRecords is a migration target: record id → value.
type fakeRecords struct {
	mu     sync.Mutex // Find and Write run at once
	values map[string]string
	page   int // records a page of Find holds (default all)
	pages  int // pages Find emitted
}

func (f *fakeRecords) migrator(p *live.Property, writable bool) live.Migrator {
	return live.Migrator{
		Own:    own,
		Reread: func(context.Context, live.Binding) (*live.Property, bool, error) { return p, writable, nil },
		// Find pages by id, as keyset paging does: each page starts after
		// the last id emitted, whatever was written meanwhile.
		Find: func(_ context.Context, mg *live.Migrating, emit func([]live.Held, int) error) error {
			last, total := "", -1
			for {
				var held []live.Held
				f.mu.Lock()
				for _, id := range slices.Sorted(maps.Keys(f.values)) {
					if id > last && slices.Contains(strings.Split(f.values[id], ";"), mg.From) {
						held = append(held, live.Held{ID: id, Value: f.values[id]})
					}
				}
				f.mu.Unlock()
				if total < 0 {
					total = len(held)
				}
				if f.page > 0 && len(held) > f.page {
					held = held[:f.page]
				}
				if len(held) == 0 {
					return nil
				}
				f.pages++
				if err := emit(held, total); err != nil {
					return err
				}
				last = held[len(held)-1].ID
			}
		},
		Write: func(_ context.Context, mg *live.Migrating, batch []live.Held) (live.BatchResult, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			for _, h := range batch {
				f.values[h.ID] = mg.NewValue(h.Value)
			}
			return live.BatchResult{Updated: len(batch)}, nil
		},
		Most: 3,
	}
}

func TestMigrator(t *testing.T) {
	opts := []live.Option{{Value: "old", Label: "Old"}, {Value: "new", Label: "New"}, {Value: "x", Label: "X"}}
	seven := func() map[string]string {
		m := map[string]string{}
		for i := range 7 {
			m[fmt.Sprint(i)] = "old"
		}
		m["9"] = "new"
		return m
	}
	t.Run("batches of at most Most, onBatch after each", func(t *testing.T) {
		f := &fakeRecords{values: seven()}
		var seqs []string
		res, err := f.migrator(prop(opts...), true).Migrate(context.Background(), live.Migration{Binding: region, From: "old", To: "new"},
			func(br live.BatchResult) error { seqs = append(seqs, fmt.Sprint(br.Seq, br.IDs)); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if res != (live.MigrationResult{Batches: 3, Updated: 7}) || strings.Join(seqs, ", ") != "1 [0 1 2], 2 [3 4 5], 3 [6]" {
			t.Errorf("result %+v, batches %q", res, seqs)
		}
		for id, v := range f.values {
			if v != "new" {
				t.Errorf("record %s holds %q", id, v)
			}
		}
	})
	t.Run("pages are written as they are found", func(t *testing.T) {
		f := &fakeRecords{values: seven(), page: 2}
		var order []string
		res, err := f.migrator(prop(opts...), true).Migrate(context.Background(), live.Migration{Binding: region, From: "old", To: "new"},
			func(br live.BatchResult) error { order = append(order, fmt.Sprint(br.IDs)); return nil })
		if err != nil || res.Updated != 7 || res.Batches != 3 || f.pages != 4 || strings.Join(order, " ") != "[0 1 2] [3 4 5] [6]" {
			t.Errorf("result %+v after %d pages, batches %v, %v", res, f.pages, order, err)
		}
	})
	t.Run("multi-valued replaces the token", func(t *testing.T) {
		multi := prop(opts...)
		multi.MultiValued = true
		f := &fakeRecords{values: map[string]string{"1": "x;old", "2": "old;new"}}
		if _, err := f.migrator(multi, true).Migrate(context.Background(), live.Migration{Binding: region, From: "old", To: "new"}, nil); err != nil {
			t.Fatal(err)
		}
		if f.values["1"] != "x;new" || f.values["2"] != "new" {
			t.Errorf("values %v", f.values)
		}
	})
	stop := errors.New("log full")
	for _, tc := range []struct {
		name     string
		m        live.Migration
		writable bool
		onBatch  func(live.BatchResult) error
		want     string
	}{
		{"same value", live.Migration{Binding: region, From: "old", To: "old"}, true, nil, "from must be a value other than to"},
		{"read-only values", live.Migration{Binding: region, From: "old", To: "new"}, false, nil, "s:contacts.region: record values are read-only"},
		{"unknown To", live.Migration{Binding: region, From: "old", To: "gone"}, true, nil, `migrate s:contacts.region from "old" to "gone": "gone" is not an option`},
		{"onBatch stops it", live.Migration{Binding: region, From: "old", To: "new"}, true, func(live.BatchResult) error { return stop }, "stopped after batch 1: log full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeRecords{values: seven()}
			res, err := f.migrator(prop(opts...), tc.writable).Migrate(context.Background(), tc.m, tc.onBatch)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if tc.onBatch == nil && res.Batches != 0 {
				t.Errorf("wrote %d batches before refusing", res.Batches)
			}
		})
	}
}

func TestReplaceToken(t *testing.T) {
	for _, tc := range []struct{ value, from, to, want string }{
		{"a;b;c", "b", "x", "a;x;c"},
		{"a;b", "b", "", "a"},
		{"a;b", "b", "a", "a"},
		{"b", "b", "x", "x"},
		{"a;;b", "c", "x", "a;b"},
	} {
		if got := live.ReplaceToken(tc.value, tc.from, tc.to); got != tc.want {
			t.Errorf("ReplaceToken(%q, %q, %q) = %q, want %q", tc.value, tc.from, tc.to, got, tc.want)
		}
	}
}

func TestObjectReader(t *testing.T) {
	errUnknown := errors.New("unknown object")
	errDown := errors.New("down")
	r := live.ObjectReader[[]string]{
		Own: own,
		Fetch: func(_ context.Context, object string) ([]string, error) {
			switch object {
			case "widgets":
				return nil, errUnknown
			case "broken":
				return nil, errDown
			}
			return []string{"region", "tier"}, nil
		},
		Unknown: func(err error) bool { return errors.Is(err, errUnknown) },
		Pick: func(snap *live.Snapshot, b live.Binding, names []string) {
			if slices.Contains(names, b.Property) {
				snap.Properties[b] = &live.Property{Binding: b}
			} else {
				snap.Missing = append(snap.Missing, b)
			}
		},
	}
	bs := []live.Binding{{Object: "contacts", Property: "zone"}, {Object: "widgets", Property: "a"}, {Object: "contacts", Property: "region"}, {Object: "contacts", Property: "zone"}}
	snap, err := r.Read(context.Background(), "s", time.Time{}, bs)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, b := range snap.Missing {
		missing = append(missing, b.String())
	}
	if strings.Join(missing, " ") != "s:contacts.zone s:widgets.a" || !slices.Equal(snap.UnknownObjects, []string{"widgets"}) || len(snap.Properties) != 1 {
		t.Errorf("missing %v, unknown %v, properties %v", missing, snap.UnknownObjects, snap.Properties)
	}
	if _, err := r.Read(context.Background(), "s", time.Time{}, append(bs, live.Binding{Object: "broken", Property: "p"})); !errors.Is(err, errDown) {
		t.Errorf("error %v, want the failed fetch", err)
	}
}
