package salesforce_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

func setOptions(b live.Binding, opts ...live.Option) live.Change {
	return live.Change{Binding: b, Action: live.ActionSetOptions, Options: opts}
}

func opt(value, label string, order int) live.Option {
	return live.Option{Value: value, Label: label, DisplayOrder: order}
}

func hidden(o live.Option) live.Option { o.Hidden = true; return o }

func TestApplyWritesEachBacking(t *testing.T) {
	for _, tc := range []struct {
		b    live.Binding
		path string // Tooling type PATCHed
		opts []live.Option
		want string
	}{
		{bind("Lead", "Region__c"), sfapi.TypeCustomField,
			[]live.Option{opt("na", "North America", 0), opt("emea", "Europe", 1), opt("apac", "APAC", 2), opt("anz", "ANZ", 3), hidden(opt("latam", "LATAM", 4)), opt("it's", "It's quoted", 4)},
			"na(North America) emea(Europe) apac(APAC) anz(ANZ) it's(It's quoted) latam(LATAM)-"},
		{bind("Lead", "Segment__c"), sfapi.TypeGlobalValueSet,
			[]live.Option{opt("Enterprise", "Enterprise (1000+)", 0), opt("Mid-Market", "Mid-Market", 1), opt("SMB", "SMB", 2), opt("Public Sector", "Public Sector", 3), hidden(opt("Startup", "Startup", 3))},
			"Enterprise(Enterprise (1000+)) Mid-Market(Mid-Market) SMB(SMB) Public Sector(Public Sector) Startup(Startup)-"},
		{bind("Lead", "LeadSource"), sfapi.TypeStandardValueSet,
			[]live.Option{opt("Web", "Web", 0), opt("Phone Inquiry", "Phone", 1), opt("Partner Referral", "Partner Referral", 2), opt("Event", "Event", 3), hidden(opt("Trade Show", "Trade Show", 3)), opt("Other", "Other", 4)},
			"Web(Web) Phone Inquiry(Phone) Partner Referral(Partner Referral) Event(Event) Other(Other) Trade Show(Trade Show)-"},
	} {
		t.Run(tc.b.String(), func(t *testing.T) {
			e := newEnv(t, nil)
			ctx := context.Background()
			before := readOne(t, e.client, tc.b)
			ch := setOptions(tc.b, tc.opts...)
			ch.ExpectFingerprint = before.Fingerprint
			res, err := e.client.Apply(ctx, ch)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Changed || values(res.After.Options) != tc.want {
				t.Fatalf("changed %v, after:\n got %s\nwant %s", res.Changed, values(res.After.Options), tc.want)
			}
			if n := e.tr.total("PATCH " + api + "/tooling/sobjects/" + tc.path + "/"); n != 1 {
				t.Fatalf("%d PATCHes of %s, want 1", n, tc.path)
			}
			if got := readOne(t, e.client, tc.b); got.Fingerprint != res.After.Fingerprint {
				t.Fatalf("re-read differs from Apply's After")
			}
			// Running the same change again writes nothing.
			e.tr.reset()
			res, err = e.client.Apply(ctx, setOptions(tc.b, tc.opts...))
			if err != nil || res.Changed {
				t.Fatalf("re-run: changed %v, %v", res != nil && res.Changed, err)
			}
			if n := e.tr.total("PATCH "); n != 0 {
				t.Fatalf("re-run sent %d PATCHes", n)
			}
		})
	}
}

// TestRemovalIsDeactivation: an option the desired list leaves out is
// written with isActive false, never deleted; records keep the value.
func TestRemovalIsDeactivation(t *testing.T) {
	e := newEnv(t, nil)
	b := bind("Lead", "Region__c")
	res, err := e.client.Apply(context.Background(), setOptions(b,
		opt("emea", "EMEA", 0), opt("na", "North America", 1), opt("apac", "APAC", 2), opt("it's", "It's quoted", 3)))
	if err != nil {
		t.Fatal(err)
	}
	if got := values(res.After.Options); got != "emea(EMEA) na(North America) apac(APAC) it's(It's quoted) latam(LATAM)-" {
		t.Fatalf("after removal: %s", got)
	}
	vals, _ := e.sb.Values("Lead", "Region__c")
	latam := vals[len(vals)-1]
	if latam.ValueName != "latam" || latam.IsActive == nil || *latam.IsActive {
		t.Fatalf("latam in the emulator: %+v, want isActive false", latam)
	}
	if n := len(e.sb.Holders("Lead", "Region__c", "latam")); n != 5 {
		t.Fatalf("%d records still hold latam, want all 5", n)
	}
}

func TestApplyKeepsUngovernedMetadata(t *testing.T) {
	e := newEnv(t, nil)
	b := bind("Lead", "Status")
	_, err := e.client.Apply(context.Background(), setOptions(b,
		hidden(opt("open", "Open", 0)), opt("working", "Working", 0), opt("mql", "MQL", 1), opt("nurture", "Nurture", 2), opt("converted", "Converted", 3)))
	if err != nil {
		t.Fatal(err)
	}
	vals, _ := e.sb.Values("Lead", "Status")
	byName := map[string]sfapi.CustomValue{}
	for _, v := range vals {
		byName[v.ValueName] = v
	}
	if c := string(byName["converted"].Extra["converted"]); c != "true" {
		t.Errorf("converted lost its converted flag: %q", c)
	}
	if open := byName["open"]; open.Default || open.Active() {
		t.Errorf("open: default %v active %v; a deactivated value must stop being the default", open.Default, open.Active())
	}
	if _, ok := byName["mql"].Extra["converted"]; ok {
		t.Errorf("new value mql got a converted flag it was never given")
	}
}

func TestApplyStaleAndErrors(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	b := bind("Lead", "Region__c")
	p := readOne(t, e.client, b)
	add := append(slices.Clone(p.Options), opt("anz", "ANZ", len(p.Options)))

	// Someone else changes the field after the plan read it.
	if _, err := e.client.Apply(ctx, setOptions(b, append(slices.Clone(p.Options), opt("mena", "MENA", len(p.Options)))...)); err != nil {
		t.Fatal(err)
	}
	e.tr.reset()
	ch := setOptions(b, add...)
	ch.ExpectFingerprint = p.Fingerprint
	_, err := e.client.Apply(ctx, ch)
	var stale *live.StaleError
	if !errors.As(err, &stale) || !errors.Is(err, live.ErrStale) {
		t.Fatalf("want a stale error, got %v", err)
	}
	if n := e.tr.total("PATCH "); n != 0 {
		t.Fatalf("stale apply sent %d PATCHes", n)
	}

	for name, ch := range map[string]live.Change{
		"not a picklist":      setOptions(bind("Lead", "Email"), opt("a", "A", 0)),
		"duplicate, any case": setOptions(b, opt("emea", "EMEA", 0), opt("EMEA", "EMEA", 1)),
		"empty label":         setOptions(b, opt("emea", "", 0)),
		"missing field":       setOptions(bind("Lead", "Nope__c"), opt("a", "A", 0)),
		"create standard":     {Binding: bind("Lead", "Rating"), Action: live.ActionCreateProperty, Label: "Rating", Options: []live.Option{opt("a", "A", 0)}},
		"create namespaced":   {Binding: bind("Lead", "acme__X__c"), Action: live.ActionCreateProperty, Label: "X", Options: []live.Option{opt("a", "A", 0)}},
		"create existing":     {Binding: b, Action: live.ActionCreateProperty, Label: "Region", Options: []live.Option{opt("a", "A", 0)}},
		"unknown action":      {Binding: b, Action: "rename"},
	} {
		if _, err := e.client.Apply(ctx, ch); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestCreatePropertyMakesRestrictedPicklist(t *testing.T) {
	e := newEnv(t, nil)
	b := bind("Lead", "Persona__c")
	res, err := e.client.Apply(context.Background(), live.Change{Binding: b, Action: live.ActionCreateProperty, Label: "Persona",
		Options: []live.Option{opt("user", "User", 1), opt("buyer", "Buyer", 0)}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Before != nil || values(res.After.Options) != "buyer(Buyer) user(User)" {
		t.Fatalf("create: changed %v, after %s", res.Changed, values(res.After.Options))
	}
	st := e.sb.State()
	for _, f := range st.Objects["Lead"].Fields {
		if f.Name == "Persona__c" && (!f.Restricted || f.Type != "picklist" || !strings.HasPrefix(f.ID, "00N")) {
			t.Fatalf("created field %+v", f)
		}
	}
}
