package livetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/livetest"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

var update = flag.Bool("update", false, "rewrite testdata/acme.json from the example's sandbox seed")

const (
	acmeSeed    = "../../../examples/acme/live/sandbox-seed.json"
	acmeFixture = "testdata/acme.json"
)

// TestAcmeIsTheExampleSandbox: the fake Acme returns holds what the
// HubSpot client reads from the example's sandbox seed through the
// emulator, so unit tests built on it start where the end-to-end tests
// do. Run with -update after changing the seed, and review the diff.
func TestAcmeIsTheExampleSandbox(t *testing.T) {
	sb, err := sandbox.Open("", acmeSeed, sandbox.WithLimits(sandbox.Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	c, err := hubspot.New(url, "test-token", hubspot.WithSystem("sandbox"), hubspot.WithLimits(hubspot.Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	seed := sb.State()
	req := live.ReadRequest{SubscriptionTypes: true}
	for object, o := range seed.Objects {
		for _, p := range o.Properties {
			req.Bindings = append(req.Bindings, live.Binding{System: "sandbox", Object: object, Property: p.Name})
		}
	}
	snap, err := c.Read(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want := &livetest.State{System: "sandbox", Capabilities: c.Capabilities(), Objects: map[string]*livetest.Object{},
		SubscriptionTypes: snap.SubscriptionTypes}
	for object, o := range seed.Objects {
		lo := &livetest.Object{}
		var enums []string
		for _, p := range o.Properties {
			lp := *snap.Properties[live.Binding{System: "sandbox", Object: object, Property: p.Name}]
			lp.Binding = live.Binding{Property: p.Name}
			lp.Fingerprint, lp.UpdatedAt = "", lp.UpdatedAt.UTC()
			lo.Properties = append(lo.Properties, &lp)
			if lp.Type == "enumeration" {
				enums = append(enums, p.Name)
			}
		}
		for _, r := range o.Records {
			lr := &livetest.Record{ID: r.ID, Values: map[string]string{}}
			for _, name := range enums {
				if v := r.Properties[name]; v != "" {
					lr.Values[name] = v
				}
			}
			lo.Records = append(lo.Records, lr)
		}
		want.Objects[object] = lo
	}
	if *update {
		if err := os.WriteFile(acmeFixture, fixture(t, want), 0o644); err != nil {
			t.Fatal(err)
		}
		return // the fixture is embedded: the next build compares it
	}
	got := livetest.Acme(t).State()
	for _, o := range got.Objects {
		for _, p := range o.Properties {
			p.Binding = live.Binding{Property: p.Property}
			p.Fingerprint = ""
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("testdata/acme.json is not what the HubSpot client reads from the seed (-seed +fixture); run with -update and review:\n%s", diff)
	}
}

// fixture is st as JSON, indented but with one line per record, so that a
// changed record is a one-line diff.
func fixture(t *testing.T, st *livetest.State) []byte {
	t.Helper()
	records := map[string][]*livetest.Record{}
	for name, o := range st.Objects {
		records[name], o.Records = o.Records, nil
	}
	data, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(string(data), "\n") {
		out.WriteString(line)
		name, ok := strings.CutSuffix(strings.TrimSpace(line), `": {`)
		name = strings.TrimPrefix(name, `"`)
		if !ok || records[name] == nil || !strings.HasPrefix(line, "  \"") {
			continue
		}
		out.WriteString("   \"records\": [\n")
		for i, r := range records[name] {
			rec, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			out.WriteString("    " + string(rec))
			if i < len(records[name])-1 {
				out.WriteString(",")
			}
			out.WriteString("\n")
		}
		out.WriteString("   ],\n")
		st.Objects[name].Records = records[name]
	}
	return append(out.Bytes(), '\n')
}

// small is a fake with one multi-valued property and three records.
func small(deletes bool) *livetest.Provider {
	return livetest.New(&livetest.State{
		System:       "crm",
		Capabilities: live.Capabilities{DeletesOptions: deletes},
		Objects: map[string]*livetest.Object{"contacts": {
			Properties: []*live.Property{{Binding: live.Binding{Property: "tags"}, Type: "enumeration", MultiValued: true,
				Options: []live.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B", DisplayOrder: 1}}}},
			Records: []*livetest.Record{
				{ID: "1", Values: map[string]string{"tags": "a;b"}},
				{ID: "2", Values: map[string]string{"tags": "b"}},
				{ID: "3", Values: map[string]string{}},
			},
		}},
	})
}

// TestFakeKeepsTheContract: what the fake answers is what live.Provider
// promises, so unit tests built on it test the code under test, not the
// fake.
func TestFakeKeepsTheContract(t *testing.T) {
	ctx := context.Background()
	tags := live.Binding{System: "crm", Object: "contacts", Property: "tags"}

	f := small(true)
	snap, err := f.Read(ctx, live.ReadRequest{Bindings: []live.Binding{
		{Object: "contacts", Property: "tags"}, {Object: "contacts", Property: "zone"}, {Object: "widgets", Property: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if p := snap.Properties[tags]; p == nil || p.Fingerprint != live.FingerprintOf(p) || len(snap.Missing) != 2 || snap.UnknownObjects[0] != "widgets" {
		t.Fatalf("read %+v", snap)
	}
	if n, err := f.CountRecords(ctx, tags, []string{"a", "b"}); err != nil || n["a"] != 1 || n["b"] != 2 {
		t.Fatalf("counts %v, %v", n, err)
	}

	// set-options: unchanged when live matches, stale when it moved.
	before := snap.Properties[tags]
	if res, err := f.Apply(ctx, live.Change{Binding: tags, Action: live.ActionSetOptions, Options: before.Options, ExpectFingerprint: "sha256:x"}); err != nil || res.Changed {
		t.Fatalf("already so: %+v, %v", res, err)
	}
	only := []live.Option{{Value: "b", Label: "Bee"}}
	if _, err := f.Apply(ctx, live.Change{Binding: tags, Action: live.ActionSetOptions, Options: only, ExpectFingerprint: "sha256:x"}); !errors.Is(err, live.ErrStale) {
		t.Fatalf("stale plan: %v", err)
	}
	res, err := f.Apply(ctx, live.Change{Binding: tags, Action: live.ActionSetOptions, Options: only, ExpectFingerprint: before.Fingerprint})
	if err != nil || !res.Changed || !live.SameOptions(res.After.Options, only) {
		t.Fatalf("set-options: %+v, %v", res, err)
	}
	// Without DeletesOptions, a left-out option is hidden, after the others.
	g := small(false)
	res, err = g.Apply(ctx, live.Change{Binding: tags, Action: live.ActionSetOptions, Options: only})
	if err != nil || len(res.After.Options) != 2 || res.After.Options[1] != (live.Option{Value: "a", Label: "A", DisplayOrder: 1, Hidden: true}) {
		t.Fatalf("deactivation: %+v, %v", res.After, err)
	}

	// create-property, then a re-run with the same options changes nothing.
	zone := live.Change{Binding: live.Binding{Object: "contacts", Property: "zone"}, Action: live.ActionCreateProperty, Label: "Zone", Options: only}
	for i, want := range []bool{true, false} {
		if res, err := f.Apply(ctx, zone); err != nil || res.Changed != want {
			t.Fatalf("create #%d: %+v, %v", i+1, res, err)
		}
	}

	// Migrations replace the token of a multi-valued property; FailWith
	// fails the calls it names, and Calls shows them all.
	if _, err := f.Apply(ctx, live.Change{Binding: tags, Action: live.ActionSetOptions, Options: []live.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}}); err != nil {
		t.Fatal(err)
	}
	f.FailWith(func(c livetest.Call) error {
		if c.Op == "batch" {
			return errors.New("refused")
		}
		return nil
	})
	m := live.Migration{Binding: tags, From: "b", To: "a"}
	if _, err := f.MigrateRecords(ctx, m, nil); err == nil || !strings.Contains(err.Error(), "batch 1: refused") {
		t.Fatalf("the failed batch: %v", err)
	}
	f.FailWith(nil)
	res2, err := f.MigrateRecords(ctx, m, nil)
	if err != nil || res2.Updated != 2 || len(f.Holders(tags, "b")) != 0 {
		t.Fatalf("migration %+v, %v, holders of b %v", res2, err, f.Holders(tags, "b"))
	}
	if v, _ := f.Value("contacts", "1", "tags"); v != "a" {
		t.Errorf("record 1 holds %q, want a (b replaced, a kept once)", v)
	}
	var ops []string
	for _, c := range f.Calls() {
		ops = append(ops, c.String())
	}
	want := "read, count crm:contacts.tags, apply set-options crm:contacts.tags, apply set-options crm:contacts.tags, apply set-options crm:contacts.tags, " +
		"apply create-property crm:contacts.zone, apply create-property crm:contacts.zone, apply set-options crm:contacts.tags, " +
		"migrate crm:contacts.tags, batch crm:contacts.tags #1, migrate crm:contacts.tags, batch crm:contacts.tags #1"
	if got := strings.Join(ops, ", "); got != want {
		t.Errorf("calls\n got %s\nwant %s", got, want)
	}
}
