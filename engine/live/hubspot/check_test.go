package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

var checkReq = live.CheckRequest{Bindings: []live.Binding{bind("contacts", "region"), bind("companies", "tier")}, Subscriptions: true}

// TestCheckScopes: a token with every scope passes; withholding each
// scope mops needs fails exactly that check, with where to grant it.
func TestCheckScopes(t *testing.T) {
	e := newEnv(t, nil)
	checks, err := e.client.Check(context.Background(), checkReq)
	if err != nil {
		t.Fatal(err)
	}
	want := `auth access token: ok
scope crm.schemas.contacts.read: ok
scope crm.schemas.contacts.write: ok
scope crm.objects.contacts.read: ok
scope crm.objects.contacts.write: ok
scope crm.schemas.companies.read: ok
scope crm.schemas.companies.write: ok
scope crm.objects.companies.read: ok
scope crm.objects.companies.write: ok
scope communication_preferences.read: ok`
	if got := clienttest.Checks(checks); got != want {
		t.Fatalf("checks:\n%s\nwant:\n%s", got, want)
	}
	for _, c := range checks[1:] {
		t.Run(c.Name, func(t *testing.T) {
			sb := sandboxFromSeed(t)
			sb.WithholdScopes(c.Name)
			checks, err := newEnv(t, sb).client.Check(context.Background(), checkReq)
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			for _, ck := range checks {
				if ck.Failed() {
					failed = append(failed, ck.Name)
					if !strings.Contains(ck.Fix, "Service keys") {
						t.Errorf("fix %q", ck.Fix)
					}
				}
			}
			if len(failed) != 1 || failed[0] != c.Name {
				t.Fatalf("failed %q, want only %s", failed, c.Name)
			}
		})
	}
}

// TestMissingScopeRefused: the sandbox refuses a call whose scope is
// withheld as HubSpot does, and the error names the scope.
func TestMissingScopeRefused(t *testing.T) {
	sb := sandboxFromSeed(t)
	sb.WithholdScopes(hsapi.Scope("contacts", hsapi.WriteSchema))
	e := newEnv(t, sb)
	p := readOne(t, e.client, bind("contacts", "region"))
	_, err := e.client.Apply(context.Background(), live.Change{Binding: bind("contacts", "region"), Action: live.ActionSetOptions,
		Options: append(p.Options, live.Option{Value: "apac_new", Label: "APAC new"})})
	var ae *live.APIError
	if !errors.As(err, &ae) || ae.Status != 403 || ae.Category != hsapi.CategoryMissingScopes || !errors.Is(err, live.ErrUnauthorized) {
		t.Fatalf("error %v", err)
	}
}

// TestCheckDailyAndUnlisted: the daily allocation comes from the
// rate-limit headers (warning when low); a key HubSpot will not
// introspect warns and lists the scopes to check by hand; a refused
// token fails the auth check.
func TestCheckDailyAndUnlisted(t *testing.T) {
	srv := clienttest.NewStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(hsapi.HeaderDailyLimit, "250000")
		w.Header().Set(hsapi.HeaderDailyRemaining, "1200")
		if r.URL.Path == hsapi.PathAccessTokenInfo {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":"error","message":"not a private app token","category":"VALIDATION_ERROR"}`))
			return
		}
		_, _ = w.Write([]byte(`{"results":[]}`))
	})
	c, err := hubspot.New(srv.URL, testToken, hubspot.WithRetry(clienttest.FastRetry()))
	if err != nil {
		t.Fatal(err)
	}
	checks, err := c.Check(context.Background(), live.CheckRequest{Bindings: []live.Binding{{Object: "deals", Property: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := clienttest.Checks(checks); got != "scope scopes: warn\nlimit daily requests: warn" {
		t.Fatalf("checks:\n%s", got)
	}
	if !strings.Contains(checks[0].Fix, "crm.objects.deals.write") || !strings.Contains(checks[1].Detail, "1200 of 250000") {
		t.Errorf("checks %+v", checks)
	}

	e := newEnv(t, sandboxFromSeed(t, sandbox.WithToken("pat-na1-the-right-one")))
	checks, err = e.client.Check(context.Background(), checkReq)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 || checks[0].Kind != live.CheckAuth || !checks[0].Failed() || strings.Contains(checks[0].Detail, testToken) {
		t.Fatalf("checks %+v", checks)
	}
}
