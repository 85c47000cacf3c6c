package hubspot_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
)

// TestTokenNeverAppears triggers every error path of the client against a
// server that echoes the Authorization header back in every way it can,
// and checks that the token shows up in no error, no log line and no
// formatting of the client.
func TestTokenNeverAppears(t *testing.T) {
	echo := func(r *http.Request) string { return "you sent " + r.Header.Get("Authorization") }
	cases := map[string]http.HandlerFunc{
		"401 json": func(w http.ResponseWriter, r *http.Request) {
			writeHubSpotError(w, 401, hsapi.Error{Status: "error", Message: echo(r), CorrelationID: echo(r), Category: "INVALID_AUTHENTICATION",
				Errors: []hsapi.ErrorDetail{{Message: echo(r) + " (detail)"}}})
		},
		"400 plain text": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			_, _ = w.Write([]byte(echo(r)))
		},
		"500 until giving up": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(hsapi.HeaderCorrelationID, echo(r))
			w.WriteHeader(500)
			_, _ = w.Write([]byte(echo(r)))
		},
		"429 until giving up": func(w http.ResponseWriter, r *http.Request) {
			writeHubSpotError(w, 429, hsapi.Error{Status: "error", Message: echo(r), CorrelationID: "c", Category: "RATE_LIMITS", PolicyName: "TEN_SECONDLY_ROLLING"})
		},
		"bad json": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"results": "` + echo(r)))
		},
		"timeout": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(300 * time.Millisecond):
			}
		},
		"dropped": func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := clienttest.NewStub(t, h)
			var logs bytes.Buffer
			c := stubClient(t, srv.URL, hubspot.WithTimeout(50*time.Millisecond),
				hubspot.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
				hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 2, Initial: time.Millisecond, Max: time.Millisecond, MaxRetryAfter: time.Second}))
			ctx := context.Background()
			errs := []error{}
			_, err := c.Read(ctx, live.ReadRequest{Bindings: []live.Binding{{Object: "contacts", Property: "region"}}, SubscriptionTypes: true})
			errs = append(errs, err)
			_, err = c.CountRecords(ctx, live.Binding{Object: "contacts", Property: "region"}, []string{"emea"})
			errs = append(errs, err)
			_, err = c.Apply(ctx, live.Change{Binding: live.Binding{Object: "contacts", Property: "region"}, Action: live.ActionSetOptions, Options: []live.Option{{Value: "a", Label: "A"}}})
			errs = append(errs, err)
			_, err = c.MigrateRecords(ctx, live.Migration{Binding: live.Binding{Object: "contacts", Property: "region"}, From: "a", To: "b"}, nil)
			errs = append(errs, err)
			_, err = c.UpdateOptions(ctx, "contacts", "region", nil)
			errs = append(errs, err)
			_, err = c.BatchUpdate(ctx, "contacts", []hsapi.BatchInput{{ID: "1", Properties: map[string]string{"a": "b"}}})
			errs = append(errs, err)
			for i, err := range errs {
				if err == nil {
					t.Fatalf("call %d: want an error", i)
				}
				assertNoToken(t, fmt.Sprintf("error %d", i), err.Error())
				assertNoToken(t, fmt.Sprintf("error %d %%#v", i), fmt.Sprintf("%#v", err))
			}
			assertNoToken(t, "logs", logs.String())
		})
	}
}

func TestTokenNotInClientFormatting(t *testing.T) {
	c, err := hubspot.New("https://api.hubapi.com", testToken)
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assertNoToken(t, verb, fmt.Sprintf(verb, c))
	}
}

func TestNewRefusesUnsafeSetups(t *testing.T) {
	for _, tc := range []struct{ url, token, want string }{
		{"https://api.hubapi.com", "  ", "empty token"},
		{"http://api.hubapi.com", testToken, "plain http"},
		{"ftp://x", testToken, "want http(s)"},
		{"https://api.hubapi.com?x=1", testToken, "query"},
	} {
		_, err := hubspot.New(tc.url, tc.token)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%q): want error with %q, got %v", tc.url, tc.want, err)
			continue
		}
		assertNoToken(t, tc.url, err.Error())
	}
	if _, err := hubspot.New("http://127.0.0.1:1", testToken); err != nil {
		t.Errorf("loopback http must be allowed: %v", err)
	}
}

func TestConnectionRefusedNamesRequest(t *testing.T) {
	c := stubClient(t, clienttest.ClosedURL(t), hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 2}))
	_, err := c.ListProperties(context.Background(), "contacts")
	if err == nil || !strings.Contains(err.Error(), "GET "+pathOf(paths.Properties, "contacts")) {
		t.Fatalf("want an error naming the request, got %v", err)
	}
	assertNoToken(t, "refused", err.Error())
}

func assertNoToken(t *testing.T, what, s string) {
	t.Helper()
	clienttest.AssertNoToken(t, what, s, testToken, strings.TrimPrefix(testToken, "pat-na1-"))
}
