package live_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
)

func TestFingerprint(t *testing.T) {
	p := &live.Property{Binding: live.Binding{System: "s", Object: "contacts", Property: "region"}, Type: "enumeration",
		Options: []live.Option{{Value: "emea", Label: "EMEA"}, {Value: "na", Label: "NA", DisplayOrder: 1}}}
	fp := live.FingerprintOf(p)
	if !strings.HasPrefix(fp, "sha256:") || len(fp) != len("sha256:")+64 {
		t.Fatalf("fingerprint %q", fp)
	}
	same := *p
	same.Label, same.System = "Another label", "other-system" // not what plan depends on
	if live.FingerprintOf(&same) != fp {
		t.Error("label or system changed the fingerprint")
	}
	for name, mutate := range map[string]func(*live.Property){
		"hidden":    func(q *live.Property) { q.Options[0].Hidden = true },
		"label":     func(q *live.Property) { q.Options[0].Label = "Europe" },
		"order":     func(q *live.Property) { q.Options[0], q.Options[1] = q.Options[1], q.Options[0] },
		"read-only": func(q *live.Property) { q.ReadOnlyOptions = true },
		"removed":   func(q *live.Property) { q.Options = q.Options[:1] },
	} {
		q := *p
		q.Options = append([]live.Option(nil), p.Options...)
		mutate(&q)
		if live.FingerprintOf(&q) == fp {
			t.Errorf("%s did not change the fingerprint", name)
		}
	}
}

func TestSlugAndSubscriptionLookup(t *testing.T) {
	for in, want := range map[string]string{"Marketing Newsletter": "marketing-newsletter", "  One to One!! ": "one-to-one", "Ünïcode Mail": "ünïcode-mail"} {
		if got := live.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	s := &live.Snapshot{SubscriptionTypes: []live.SubscriptionType{{ID: "42", Name: "Marketing Newsletter"}}}
	for _, ref := range []string{"42", "marketing newsletter", "marketing-newsletter"} {
		if _, ok := s.SubscriptionType(ref); !ok {
			t.Errorf("%q not found", ref)
		}
	}
	if _, ok := s.SubscriptionType("sms"); ok {
		t.Error("sms found")
	}
}

func TestErrors(t *testing.T) {
	e := &live.APIError{System: "hubspot-prod", Method: "PATCH", Path: "/crm/v3/properties/contacts/region", Status: 400,
		Category: "VALIDATION_ERROR", Message: "bad", CorrelationID: "abc", Details: []string{"options[0]: hidden required"}}
	want := "hubspot-prod: PATCH /crm/v3/properties/contacts/region: HTTP 400 VALIDATION_ERROR: bad (options[0]: hidden required) [correlationId abc]"
	if e.Error() != want {
		t.Errorf("got  %s\nwant %s", e.Error(), want)
	}
	for status, target := range map[int]error{404: live.ErrNotFound, 401: live.ErrUnauthorized, 403: live.ErrUnauthorized, 429: live.ErrRateLimited} {
		err := fmt.Errorf("wrapped: %w", &live.APIError{Status: status})
		if !errors.Is(err, target) {
			t.Errorf("%d is not %v", status, target)
		}
	}
	b := live.Binding{System: "s", Object: "contacts", Property: "region"}
	if err := error(&live.StaleError{Binding: b, Want: "sha256:aaaaaaaaaaaaaaaa", Got: "sha256:bbbbbbbbbbbbbbbb"}); !errors.Is(err, live.ErrStale) || !strings.Contains(err.Error(), "s:contacts.region") {
		t.Errorf("stale: %v", err)
	}
	if err := error(&live.ReadOnlyError{Binding: b, What: "options"}); !errors.Is(err, live.ErrReadOnly) {
		t.Errorf("read-only: %v", err)
	}
}

func TestSortBindings(t *testing.T) {
	bs := []live.Binding{{"b", "x", "y"}, {"a", "z", "a"}, {"a", "c", "b"}, {"a", "c", "a"}}
	live.SortBindings(bs)
	if fmt.Sprint(bs) != "[a:c.a a:c.b a:z.a b:x.y]" {
		t.Fatalf("sorted = %v", bs)
	}
}

func TestSnapshotJSONRoundTrip(t *testing.T) {
	b1 := live.Binding{System: "s", Object: "contacts", Property: "region"}
	b2 := live.Binding{System: "s", Object: "companies", Property: "region"}
	s := &live.Snapshot{System: "s", Properties: map[live.Binding]*live.Property{
		b1: {Binding: b1, Type: "enumeration", Options: []live.Option{{Value: "emea", Label: "EMEA"}}, Fingerprint: "sha256:1"},
		b2: {Binding: b2, Type: "enumeration", Options: []live.Option{}, Fingerprint: "sha256:2"},
	}, Missing: []live.Binding{{System: "s", Object: "deals", Property: "x"}}}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if i, j := strings.Index(string(data), `"companies"`), strings.Index(string(data), `"contacts"`); i < 0 || j < i {
		t.Fatalf("properties not sorted: %s", data)
	}
	var back live.Snapshot
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Properties) != 2 || back.Properties[b1].Fingerprint != "sha256:1" || len(back.Missing) != 1 {
		t.Fatalf("round trip = %+v", back)
	}
}
