package salesforce_test

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
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// TestTokenNeverAppears triggers every error path of the client against a
// server that echoes the Authorization header back in every way it can,
// and checks that the token shows up in no error, no log line and no
// formatting of the client.
func TestTokenNeverAppears(t *testing.T) {
	echo := func(r *http.Request) string { return "you sent " + r.Header.Get("Authorization") }
	cases := map[string]http.HandlerFunc{
		"401 error array": func(w http.ResponseWriter, r *http.Request) {
			writeSFError(w, 401, sfapi.Error{Message: echo(r), ErrorCode: echo(r), Fields: []string{echo(r)}},
				sfapi.Error{Message: echo(r) + " (second)", ErrorCode: "INVALID_SESSION_ID"})
		},
		"400 plain text": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			_, _ = w.Write([]byte(echo(r)))
		},
		"500 until giving up": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			_, _ = w.Write([]byte(echo(r)))
		},
		"403 limit until giving up": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(sfapi.HeaderLimitInfo, echo(r))
			writeSFError(w, 403, sfapi.Error{Message: echo(r), ErrorCode: sfapi.CodeRequestLimit})
		},
		"bad json": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"fields": "` + echo(r)))
		},
		"next page elsewhere": func(w http.ResponseWriter, r *http.Request) {
			_, _ = fmt.Fprintf(w, `{"done":false,"totalSize":3,"records":[],"nextRecordsUrl":"https://x.example/%s"}`, strings.ReplaceAll(echo(r), " ", "%20"))
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
			c := stubClient(t, srv.URL, salesforce.WithTimeout(50*time.Millisecond),
				salesforce.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
				salesforce.WithRetry(salesforce.RetryPolicy{MaxAttempts: 2, Initial: time.Millisecond, Max: time.Millisecond, MaxRetryAfter: time.Second}))
			ctx := context.Background()
			b := live.Binding{Object: "Lead", Property: "Region__c"}
			var errs []error
			_, err := c.Read(ctx, live.ReadRequest{Bindings: []live.Binding{b}})
			errs = append(errs, err)
			_, err = c.CountRecords(ctx, b, []string{"emea"})
			errs = append(errs, err)
			_, err = c.Apply(ctx, live.Change{Binding: b, Action: live.ActionSetOptions, Options: []live.Option{{Value: "a", Label: "A"}}})
			errs = append(errs, err)
			_, err = c.MigrateRecords(ctx, live.Migration{Binding: b, From: "a", To: "b"}, nil)
			errs = append(errs, err)
			page, err := c.Query(ctx, "SELECT Id FROM Lead")
			errs = append(errs, err)
			if err == nil && page.NextRecordsURL != "" {
				_, err = c.QueryMore(ctx, page.NextRecordsURL)
				if err == nil {
					t.Fatal("QueryMore followed a nextRecordsUrl to another host")
				}
				errs = append(errs, err)
			}
			_, err = c.UpdateRecords(ctx, []sfapi.RecordUpdate{{Type: "Lead", ID: "00Q000000000001AAA", Fields: map[string]*string{"Region__c": nil}}})
			errs = append(errs, err)
			err = c.UpdateGlobalValueSet(ctx, "0Nt000000000001AAA", sfapi.MetadataWrite[sfapi.GlobalValueSetMetadata]{FullName: "X"})
			errs = append(errs, err)
			for i, err := range errs {
				// A 200 cannot fail a PATCH that reads no answer, and the
				// stray next page only matters to queries.
				lenient := name == "next page elsewhere" || (name == "bad json" && i == len(errs)-1)
				if err == nil && !lenient {
					t.Fatalf("call %d: want an error", i)
				}
				if err != nil {
					assertNoToken(t, fmt.Sprintf("error %d", i), err.Error())
					assertNoToken(t, fmt.Sprintf("error %d %%#v", i), fmt.Sprintf("%#v", err))
				}
			}
			if u, ok := c.Usage(); ok {
				assertNoToken(t, "usage", u.String())
			}
			assertNoToken(t, "logs", logs.String())
		})
	}
}

func TestTokenNotInClientFormatting(t *testing.T) {
	c, err := salesforce.New("https://acme.my.salesforce.com", testToken)
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assertNoToken(t, verb, fmt.Sprintf(verb, c))
	}
}

func TestNewRefusesUnsafeSetups(t *testing.T) {
	for _, tc := range []struct{ url, token, want string }{
		{"https://acme.my.salesforce.com", "  ", "empty token"},
		{"http://acme.my.salesforce.com", testToken, "plain http"},
		{"ftp://x", testToken, "want https"},
		{"https://acme.my.salesforce.com?x=1", testToken, "bare host"},
		{"https://acme.my.salesforce.com/services", testToken, "bare host"},
	} {
		_, err := salesforce.New(tc.url, tc.token)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%q): want error with %q, got %v", tc.url, tc.want, err)
			continue
		}
		assertNoToken(t, tc.url, err.Error())
	}
	if _, err := salesforce.New("https://acme.my.salesforce.com", testToken, salesforce.WithAPIVersion("62")); err == nil {
		t.Error("want an error for API version 62")
	}
	c, err := salesforce.New("http://127.0.0.1:1/", testToken, salesforce.WithAPIVersion("61.0"))
	if err != nil || c.APIRoot() != "/services/data/v61.0" {
		t.Errorf("loopback http with version 61.0: %v, root %v", err, c)
	}
}

func TestConnectionRefusedNamesRequest(t *testing.T) {
	c := stubClient(t, clienttest.ClosedURL(t), salesforce.WithRetry(salesforce.RetryPolicy{MaxAttempts: 2}))
	_, err := c.Describe(context.Background(), "Lead")
	if err == nil || !strings.Contains(err.Error(), "GET "+api+"/sobjects/Lead/describe") {
		t.Fatalf("want an error naming the request, got %v", err)
	}
	assertNoToken(t, "refused", err.Error())
}

func assertNoToken(t *testing.T, what, s string) {
	t.Helper()
	clienttest.AssertNoToken(t, what, s, testToken, strings.SplitN(testToken, "!", 2)[1])
}
