package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

var listPath = pathOf(paths.Properties, "contacts")

func TestRateLimitRetryAfterIsHonoured(t *testing.T) {
	e := newEnv(t, nil)
	e.sb.SetFaults(sandbox.Faults{RateLimitBurst: 1, RetryAfter: 2 * time.Second})
	readOne(t, e.client, bind("contacts", "region"))
	if got := e.clock.Waits(); len(got) != 1 || got[0] != 2*time.Second {
		t.Fatalf("want one wait of 2s (Retry-After), got %v", got)
	}
	if n := e.tr.count("GET", listPath); n != 2 {
		t.Fatalf("want 2 requests, got %d", n)
	}
}

// TestRateLimitWithoutRetryAfterWaitsOutTheWindow: HubSpot's 429 for the
// rolling ten-second window says no Retry-After; a backoff shorter than the
// window only spends attempts, so the client waits the window out: 10 s,
// or the window the last rate-limit headers named.
func TestRateLimitWithoutRetryAfterWaitsOutTheWindow(t *testing.T) {
	e := newEnv(t, nil, hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 5, Initial: 100 * time.Millisecond, Max: 250 * time.Millisecond, MaxRetryAfter: time.Minute}))
	e.sb.SetFaults(sandbox.Faults{RateLimitBurst: 2})
	readOne(t, e.client, bind("contacts", "region"))
	if waits := e.clock.Waits(); !slices.Equal(waits, []time.Duration{10 * time.Second, 10 * time.Second}) {
		t.Fatalf("waits %v, want the 10 s window twice", waits)
	}
}

func TestRateLimitGivesUpAfterMaxAttempts(t *testing.T) {
	e := newEnv(t, nil, hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 3, Initial: time.Millisecond, Max: time.Millisecond, MaxRetryAfter: time.Minute}))
	e.sb.SetFaults(sandbox.Faults{RateLimitBurst: 10})
	_, err := e.client.ListProperties(context.Background(), "contacts")
	if !errors.Is(err, live.ErrRateLimited) || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("want a rate-limit error after 3 attempts, got %v", err)
	}
	if n := e.tr.count("GET", listPath); n != 3 {
		t.Fatalf("want 3 requests, got %d", n)
	}
}

func TestServerErrorRetriedForGet(t *testing.T) {
	e := newEnv(t, nil)
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 2, ServerErrorStatus: 503})
	readOne(t, e.client, bind("contacts", "region"))
	if n := e.tr.count("GET", listPath); n != 3 {
		t.Fatalf("want 3 requests, got %d", n)
	}
}

func TestServerErrorRetriedForSearch(t *testing.T) {
	e := newEnv(t, nil)
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 1, PathPrefix: strings.TrimSuffix(pathOf(paths.Search, ""), "/search")})
	counts, err := e.client.CountRecords(context.Background(), bind("contacts", "region"), []string{"emea"})
	if err != nil || counts["emea"] != 5 {
		t.Fatalf("want emea=5, got %v, %v", counts, err)
	}
}

func TestServerErrorNotRetriedForWrites(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 1})
	opts := []hsapi.Option{{Label: "EMEA", Value: "emea"}}
	if _, err := e.client.UpdateOptions(ctx, "contacts", "region", opts); !isStatus(err, 500) {
		t.Fatalf("want the 500, got %v", err)
	}
	if n := e.tr.count("PATCH", listPath+"/region"); n != 1 {
		t.Fatalf("PATCH sent %d times, want 1", n)
	}
	e.sb.SetFaults(sandbox.Faults{ServerErrors: 1})
	in := []hsapi.BatchInput{{ID: "101", Properties: map[string]string{"region": "na"}}}
	if _, err := e.client.BatchUpdate(ctx, "contacts", in); !isStatus(err, 500) {
		t.Fatalf("want the 500, got %v", err)
	}
	if n := e.tr.count("POST", pathOf(paths.BatchUpdate, "contacts")); n != 1 {
		t.Fatalf("batch update sent %d times, want 1", n)
	}
	if p, _ := e.sb.Property("contacts", "region"); len(p.Options) != 4 {
		t.Fatalf("options changed: %v", p.Options)
	}
}

func TestDroppedConnectionRetriedForGet(t *testing.T) {
	e := newEnv(t, nil)
	e.sb.SetFaults(sandbox.Faults{DropConnections: 2})
	readOne(t, e.client, bind("contacts", "region"))
	if f := e.sb.Faults(); f.DropConnections != 0 {
		t.Fatalf("drops not used up: %+v", f)
	}
}

func TestDroppedConnectionNotRetriedForPatch(t *testing.T) {
	e := newEnv(t, nil)
	e.sb.SetFaults(sandbox.Faults{DropConnections: 1})
	_, err := e.client.UpdateOptions(context.Background(), "contacts", "region", []hsapi.Option{{Label: "EMEA", Value: "emea"}})
	if err == nil || !strings.Contains(err.Error(), "PATCH "+pathOf(paths.Property, "contacts", "region")) {
		t.Fatalf("want a connection error naming the request, got %v", err)
	}
	if n := e.tr.count("PATCH", listPath+"/region"); n != 1 {
		t.Fatalf("PATCH sent %d times, want 1", n)
	}
}

func TestTimeoutFailsClearly(t *testing.T) {
	e := newEnv(t, nil,
		hubspot.WithTimeout(50*time.Millisecond),
		hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 2, Initial: time.Millisecond, Max: time.Millisecond}))
	e.sb.SetFaults(sandbox.Faults{Latency: 2 * time.Second})
	start := time.Now()
	_, err := e.client.ListProperties(context.Background(), "contacts")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no response within 50ms") ||
		!strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Fatalf("want a clear timeout error, got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %s; the timeout did not cut the request", d)
	}
}

func TestUnauthorizedShowsMessageAndCorrelationID(t *testing.T) {
	e := newEnv(t, sandboxFromSeed(t, sandbox.WithToken("the-right-token")))
	_, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{bind("contacts", "region")}})
	var apiErr *live.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, live.ErrUnauthorized) {
		t.Fatalf("want an unauthorized APIError, got %v", err)
	}
	if apiErr.CorrelationID == "" || apiErr.Message == "" || apiErr.Category != hsapi.CategoryUnauthorized {
		t.Fatalf("APIError lacks details: %+v", apiErr)
	}
	msg := err.Error()
	for _, want := range []string{"HTTP 401", apiErr.CorrelationID, "not valid"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, testToken) {
		t.Fatalf("error leaks the token: %s", msg)
	}
	if n := e.tr.count("GET", listPath); n != 1 {
		t.Fatalf("401 retried: %d requests", n)
	}
}

func TestContextCancelStopsRetrying(t *testing.T) {
	e := newEnv(t, nil, hubspot.WithClock(nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.client.ListProperties(ctx, "contacts")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func TestNotFoundIsMissingNotError(t *testing.T) {
	e := newEnv(t, nil)
	snap, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{
		bind("contacts", "region"), bind("contacts", "no_such_property"), bind("spaceships", "fuel"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []live.Binding{bind("contacts", "no_such_property"), bind("spaceships", "fuel")}
	if len(snap.Missing) != 2 || snap.Missing[0] != want[0] || snap.Missing[1] != want[1] {
		t.Fatalf("missing = %v, want %v", snap.Missing, want)
	}
	if len(snap.UnknownObjects) != 1 || snap.UnknownObjects[0] != "spaceships" {
		t.Fatalf("unknown objects = %v", snap.UnknownObjects)
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	srv := clienttest.NewStub(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
	})
	c := stubClient(t, srv.URL, hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 2}))
	_, err := c.ListProperties(context.Background(), "contacts")
	if !isStatus(err, 502) || !strings.Contains(err.Error(), "502 Bad Gateway") {
		t.Fatalf("want a 502 with the body snippet, got %v", err)
	}
}

func TestDailyLimitAndLongRetryAfterAreNotRetried(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"daily": func(w http.ResponseWriter, _ *http.Request) {
			writeHubSpotError(w, 429, hsapi.Error{Status: "error", Message: "You have reached your daily limit.", ErrorType: "RATE_LIMIT", PolicyName: "DAILY", CorrelationID: "c-1", Category: "RATE_LIMITS"})
		},
		"retry-after-1h": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "3600")
			writeHubSpotError(w, 429, hsapi.Error{Status: "error", Message: "slow down", CorrelationID: "c-2", Category: "RATE_LIMITS"})
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := clienttest.NewStub(t, h)
			c := stubClient(t, srv.URL)
			_, err := c.ListProperties(context.Background(), "contacts")
			if !errors.Is(err, live.ErrRateLimited) {
				t.Fatalf("want rate limited, got %v", err)
			}
			if n := srv.Hits.Load(); n != 1 {
				t.Fatalf("retried: %d requests", n)
			}
		})
	}
}
