package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

func TestReadMapsProperties(t *testing.T) {
	e := newEnv(t, nil)
	bs := []live.Binding{bind("contacts", "lifecyclestage"), bind("contacts", "hs_analytics_source"), bind("contacts", "interests"), bind("contacts", "lead_source")}
	snap, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: bs, SubscriptionTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	lc := snap.Properties[bs[0]]
	if !lc.ProviderDefined || !lc.ReadOnlyDefinition || lc.ReadOnlyOptions || len(lc.Options) != 8 || lc.Binding != bs[0] {
		t.Errorf("lifecyclestage = %+v", lc)
	}
	if src := snap.Properties[bs[1]]; !src.ReadOnlyOptions {
		t.Errorf("hs_analytics_source options should be read-only: %+v", src)
	}
	if in := snap.Properties[bs[2]]; !in.MultiValued {
		t.Errorf("interests should be multi-valued: %+v", in)
	}
	ls := snap.Properties[bs[3]]
	if o, ok := ls.Option("trade_show"); !ok || o.Label != "Trade Show" || o.DisplayOrder != 2 {
		t.Errorf("lead_source trade_show = %+v, %v", o, ok)
	}
	if st, ok := snap.SubscriptionType("marketing-newsletter"); !ok || st.ID != "1805677" || !st.Active {
		t.Errorf("subscription type by slug: %+v, %v", st, ok)
	}
	if _, ok := snap.SubscriptionType("1805690"); !ok {
		t.Errorf("subscription type by id not found")
	}
	again := readOne(t, e.client, bs[3])
	if again.Fingerprint != ls.Fingerprint || ls.Fingerprint == "" {
		t.Errorf("fingerprint not stable: %s vs %s", again.Fingerprint, ls.Fingerprint)
	}
}

func TestReadRefusesOtherSystems(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{{System: "hubspot-prod", Object: "contacts", Property: "region"}}})
	if err == nil {
		t.Fatal("want an error for another system's binding")
	}
}

func retire(opts []live.Option, value string) []live.Option {
	out := slices.Clone(opts)
	for i := range out {
		if out[i].Value == value {
			out[i].Hidden = true
		}
	}
	return out
}

func TestApplySetOptionsIsIdempotent(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	b := bind("contacts", "lead_source")
	before := readOne(t, e.client, b)
	desired := append(retire(before.Options, "trade_show"), live.Option{Value: "podcast", Label: "Podcast", DisplayOrder: 5})
	ch := live.Change{Binding: b, Action: live.ActionSetOptions, Options: desired, ExpectFingerprint: before.Fingerprint}

	res, err := e.client.Apply(ctx, ch)
	if err != nil || !res.Changed || !live.SameOptions(res.After.Options, desired) || res.Before.Fingerprint != before.Fingerprint {
		t.Fatalf("first apply: %+v, %v", res, err)
	}
	p, _ := e.sb.Property("contacts", "lead_source")
	if len(p.Options) != 6 || !p.Options[2].Hidden || p.Options[5].Value != "podcast" {
		t.Fatalf("sandbox options = %+v", p.Options)
	}
	patches := e.tr.count("PATCH", pathOf(paths.Property, "contacts", "lead_source"))
	res, err = e.client.Apply(ctx, ch) // a re-run after a crash
	if err != nil || res.Changed {
		t.Fatalf("second apply should be a no-op: %+v, %v", res, err)
	}
	if n := e.tr.count("PATCH", pathOf(paths.Property, "contacts", "lead_source")); n != patches {
		t.Fatalf("second apply sent a PATCH")
	}
}

func TestApplyRefusesStalePlan(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	b := bind("contacts", "region")
	planned := readOne(t, e.client, b)
	// Someone edits the options in HubSpot after the plan was made.
	other := append(slices.Clone(planned.Options), live.Option{Value: "mena", Label: "MENA", DisplayOrder: 9})
	if _, err := e.client.Apply(ctx, live.Change{Binding: b, Action: live.ActionSetOptions, Options: other}); err != nil {
		t.Fatal(err)
	}
	desired := retire(planned.Options, "latam")
	_, err := e.client.Apply(ctx, live.Change{Binding: b, Action: live.ActionSetOptions, Options: desired, ExpectFingerprint: planned.Fingerprint})
	var stale *live.StaleError
	if !errors.As(err, &stale) || !errors.Is(err, live.ErrStale) || stale.Binding != b {
		t.Fatalf("want a StaleError, got %v", err)
	}
}

func TestApplyReadOnlyOptionsRefusedBeforeWriting(t *testing.T) {
	e := newEnv(t, nil)
	b := bind("contacts", "hs_analytics_source")
	p := readOne(t, e.client, b)
	_, err := e.client.Apply(context.Background(), live.Change{Binding: b, Action: live.ActionSetOptions, Options: retire(p.Options, "OFFLINE")})
	var ro *live.ReadOnlyError
	if !errors.As(err, &ro) || !errors.Is(err, live.ErrReadOnly) {
		t.Fatalf("want ReadOnlyError, got %v", err)
	}
	if n := e.tr.count("PATCH", pathOf(paths.Property, "contacts", "hs_analytics_source")); n != 0 {
		t.Fatalf("sent %d PATCHes to a read-only property", n)
	}
}

func TestApplyLifecycleStageOptions(t *testing.T) {
	e := newEnv(t, nil)
	b := bind("contacts", "lifecyclestage")
	p := readOne(t, e.client, b)
	desired := retire(p.Options, "evangelist")
	res, err := e.client.Apply(context.Background(), live.Change{Binding: b, Action: live.ActionSetOptions, Options: desired})
	if err != nil || !res.Changed {
		t.Fatalf("readOnlyDefinition must not block options: %+v, %v", res, err)
	}
}

func TestApplyRejectsBadOptionsLocally(t *testing.T) {
	e := newEnv(t, nil)
	for _, opts := range [][]live.Option{
		{{Value: "a", Label: "A"}, {Value: "a", Label: "A2"}},
		{{Value: "", Label: "A"}},
		{{Value: "a", Label: ""}},
	} {
		if _, err := e.client.Apply(context.Background(), live.Change{Binding: bind("contacts", "region"), Action: live.ActionSetOptions, Options: opts}); err == nil {
			t.Errorf("options %v accepted", opts)
		}
	}
	if n := e.tr.totalRequests(); n != 0 {
		t.Fatalf("bad changes reached the server: %d requests", n)
	}
}

func TestApplyCreateProperty(t *testing.T) {
	e := newEnv(t, nil)
	ch := live.Change{Binding: bind("companies", "tier"), Action: live.ActionCreateProperty, Label: "Tier",
		Options: []live.Option{{Value: "gold", Label: "Gold"}, {Value: "silver", Label: "Silver", DisplayOrder: 1}}}
	res, err := e.client.Apply(context.Background(), ch)
	if err != nil || !res.Changed || res.Before != nil || res.After.Property != "tier" {
		t.Fatalf("create: %+v, %v", res, err)
	}
	if p, ok := e.sb.Property("companies", "tier"); !ok || p.GroupName != "companyinformation" || p.Type != "enumeration" {
		t.Fatalf("sandbox property = %+v", p)
	}
	res, err = e.client.Apply(context.Background(), ch)
	if err != nil || res.Changed {
		t.Fatalf("re-create should be a no-op: %+v, %v", res, err)
	}
	ch.Options = ch.Options[:1]
	if _, err := e.client.Apply(context.Background(), ch); !isStatus(err, 409) {
		t.Fatalf("create over different options: want the 409, got %v", err)
	}
}

func TestCountRecords(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	got, err := e.client.CountRecords(ctx, bind("contacts", "lead_source"), []string{"trade_show", "webinar", "legacy_import", "partner_referral", "nobody", "webinar"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"trade_show": 3, "webinar": 2, "legacy_import": 1, "partner_referral": 1, "nobody": 0}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("counts = %v, want %v", got, want)
	}
	if n := e.tr.count("POST", pathOf(paths.Search, "contacts")); n != 5 {
		t.Errorf("want one search per distinct value (5), got %d", n)
	}
	// Multi-valued: counts records holding the token among others. The
	// client learns the property kind from a GET when Read did not run.
	got, err = e.client.CountRecords(ctx, bind("contacts", "interests"), []string{"analytics", "crm"})
	if err != nil || got["analytics"] != 3 || got["crm"] != 3 {
		t.Fatalf("interests counts = %v, %v", got, err)
	}
	// The empty value counts records without one (NOT_HAS_PROPERTY): of
	// the seed's 12 contacts, only 110 has no lead_source.
	got, err = e.client.CountRecords(ctx, bind("contacts", "lead_source"), []string{""})
	if err != nil || got[""] != 1 {
		t.Fatalf("contacts without lead_source = %v, %v; want 1", got, err)
	}
}

func TestMigrateRecordsInBatches(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	b := bind("contacts", "lead_source")
	var batches []live.BatchResult
	res, err := e.client.MigrateRecords(ctx, live.Migration{Binding: b, From: "trade_show", To: "event", BatchSize: 2}, func(br live.BatchResult) error {
		batches = append(batches, br)
		return nil
	})
	if err != nil || res.Updated != 3 || res.Batches != 2 || res.Failed != 0 {
		t.Fatalf("migrate = %+v, %v", res, err)
	}
	if len(batches) != 2 || batches[0].Seq != 1 || len(batches[0].IDs) != 2 || batches[1].Seq != 2 || len(batches[1].IDs) != 1 {
		t.Fatalf("batches = %+v", batches)
	}
	for _, id := range append(batches[0].IDs, batches[1].IDs...) {
		if v, _ := e.sb.RecordValues("contacts", id); v["lead_source"] != "event" {
			t.Errorf("record %s lead_source = %q", id, v["lead_source"])
		}
	}
	if n, _ := e.client.CountRecords(ctx, b, []string{"trade_show"}); n["trade_show"] != 0 {
		t.Fatalf("records still on trade_show: %v", n)
	}
	res, err = e.client.MigrateRecords(ctx, live.Migration{Binding: b, From: "trade_show", To: "event"}, nil)
	if err != nil || res.Batches != 0 {
		t.Fatalf("re-run should find nothing: %+v, %v", res, err)
	}
}

func TestMigrateMultiValuedReplacesOneToken(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("contacts", "interests"), From: "automation", To: "crm"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"102": "crm", "105": "analytics;crm", "110": "crm", "101": "analytics"} {
		if v, _ := e.sb.RecordValues("contacts", id); v["interests"] != want {
			t.Errorf("record %s interests = %q, want %q", id, v["interests"], want)
		}
	}
}

func TestMigrateChecksTargetFirst(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("contacts", "lead_source"), From: "trade_show", To: "no_such_option"}, nil)
	if err == nil {
		t.Fatal("want an error for a target that is not an option")
	}
	if n := e.tr.count("POST", pathOf(paths.BatchUpdate, "contacts")); n != 0 {
		t.Fatalf("wrote %d batches", n)
	}
}

func TestMigrateStopsWhenCallbackFails(t *testing.T) {
	e := newEnv(t, nil)
	stop := errors.New("change log full")
	res, err := e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("contacts", "lead_source"), From: "trade_show", To: "event", BatchSize: 1},
		func(live.BatchResult) error { return stop })
	if !errors.Is(err, stop) || res.Batches != 1 {
		t.Fatalf("want a stop after batch 1, got %+v, %v", res, err)
	}
}

// TestMigratePagesThroughSearch moves 460 records: three search pages of
// at most 200 (each asking for ids above the last), five batch updates of
// at most 100, and one check that search shows the writes.
func TestMigratePagesThroughSearch(t *testing.T) {
	st := &sandbox.State{Objects: map[string]*sandbox.Object{"contacts": {
		Properties: []*hsapi.Property{{Name: "region", Type: "enumeration", FieldType: "select",
			Options: []hsapi.Option{{Label: "Old", Value: "old"}, {Label: "New", Value: "new", DisplayOrder: 1}}}},
	}}}
	for i := range 470 {
		v := "old"
		if i%47 == 0 {
			v = "new"
		}
		st.Objects["contacts"].Records = append(st.Objects["contacts"].Records, &sandbox.Record{ID: fmt.Sprint(1000 + i), Properties: map[string]string{"region": v}})
	}
	sb, err := sandbox.FromState(st, sandbox.WithLimits(sandbox.Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb)
	var seen []string
	res, err := e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("contacts", "region"), From: "old", To: "new"}, func(br live.BatchResult) error {
		seen = append(seen, br.IDs...)
		return nil
	})
	if err != nil || res.Updated != 460 || res.Batches != 5 {
		t.Fatalf("migrate = %+v, %v", res, err)
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != 460 {
		t.Fatalf("batches wrote %d distinct records, want 460", len(seen))
	}
	// Three pages (200, 200, 60), then one check that search shows the
	// writes (it does at once: the sandbox has no search lag here).
	if n := e.tr.count("POST", pathOf(paths.Search, "contacts")); n != 4 {
		t.Errorf("want 3 search pages and 1 settle check, got %d searches", n)
	}
}

// TestConcurrentUse runs provider calls in parallel (for -race).
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			switch i % 4 {
			case 0:
				_, err := e.client.Read(ctx, live.ReadRequest{Bindings: []live.Binding{bind("contacts", "region"), bind("companies", "region")}, SubscriptionTypes: true})
				if err != nil {
					t.Error(err)
				}
			case 1:
				if _, err := e.client.CountRecords(ctx, bind("contacts", "region"), []string{"emea", "na", "apac"}); err != nil {
					t.Error(err)
				}
			case 2:
				p := readOne(t, e.client, bind("companies", "region"))
				if _, err := e.client.Apply(ctx, live.Change{Binding: bind("companies", "region"), Action: live.ActionSetOptions, Options: retire(p.Options, "latam")}); err != nil {
					t.Error(err)
				}
			case 3:
				if _, err := e.client.MigrateRecords(ctx, live.Migration{Binding: bind("contacts", "lead_source"), From: "webinar", To: "event"}, nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}
