package salesforce_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

const describePath = api + "/sobjects/Lead/describe"

func isStatus(err error, status int) bool {
	var e *live.APIError
	return errors.As(err, &e) && e.Status == status
}

func TestRequestLimitExceededIsRetried(t *testing.T) {
	e := newEnv(t, nil)
	e.sb.SetFaults(sfsandbox.Faults{RateLimitBurst: 2})
	readOne(t, e.client, bind("Lead", "Region__c"))
	if n := e.tr.count("GET", describePath); n != 3 {
		t.Fatalf("want 3 describes (2 refused), got %d", n)
	}
	waits := e.clock.Waits()
	if len(waits) != 2 || waits[0] > time.Millisecond || waits[1] > 2*time.Millisecond {
		t.Fatalf("waits %v, want 2 jittered backoffs within [0,1ms] and [0,2ms]", waits)
	}
}

// TestRequestLimitRetriesWritesAfterRetryAfter: a refused request was not
// carried out, so even a PATCH is retried, after Retry-After when sent.
func TestRequestLimitRetriesWritesAfterRetryAfter(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	cf, err := e.client.GetCustomField(ctx, fieldID(t, e, "Lead", "Region__c"))
	if err != nil {
		t.Fatal(err)
	}
	e.sb.SetFaults(sfsandbox.Faults{RateLimitBurst: 1, RetryAfter: 3 * time.Second})
	if err := e.client.UpdateCustomField(ctx, cf.ID, sfapi.MetadataWrite[sfapi.CustomFieldMetadata]{FullName: cf.FullName, Metadata: cf.Metadata}); err != nil {
		t.Fatal(err)
	}
	if n := e.tr.total("PATCH "); n != 2 {
		t.Fatalf("%d PATCHes, want 2 (one refused)", n)
	}
	if got := e.clock.Waits(); len(got) != 1 || got[0] != 3*time.Second {
		t.Fatalf("waits %v, want one of 3s (Retry-After)", got)
	}
}

func TestRequestLimitGivesUpAndIsRateLimited(t *testing.T) {
	e := newEnv(t, nil, salesforce.WithRetry(salesforce.RetryPolicy{MaxAttempts: 3, Initial: time.Millisecond, Max: time.Millisecond, MaxRetryAfter: time.Minute}))
	e.sb.SetFaults(sfsandbox.Faults{RateLimitBurst: 10})
	_, err := e.client.Describe(context.Background(), "Lead")
	var apiErr *live.APIError
	if !errors.Is(err, live.ErrRateLimited) || !errors.As(err, &apiErr) || apiErr.Category != sfapi.CodeRequestLimit ||
		!strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("want a REQUEST_LIMIT_EXCEEDED error after 3 attempts, got %v", err)
	}
}

func TestDailyAllocationIsNotRetried(t *testing.T) {
	e := newEnv(t, sandboxFromSeed(t, sfsandbox.WithAPIUsage(99_999, 100_000)))
	if _, err := e.client.Describe(context.Background(), "Lead"); err != nil { // the last call of the day
		t.Fatal(err)
	}
	_, err := e.client.Describe(context.Background(), "Lead")
	if !errors.Is(err, live.ErrRateLimited) || !strings.Contains(err.Error(), "TotalRequests Limit exceeded") {
		t.Fatalf("want the daily limit, got %v", err)
	}
	if n := e.tr.count("GET", describePath); n != 2 {
		t.Fatalf("daily limit retried: %d describes", n)
	}
}

func TestServerErrorRetriedForGetNotForPatch(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.sb.SetFaults(sfsandbox.Faults{ServerErrors: 2, ServerErrorStatus: 503})
	p := readOne(t, e.client, bind("Lead", "Region__c"))
	if n := e.tr.count("GET", describePath); n != 3 {
		t.Fatalf("want 3 describes (2 failed), got %d", n)
	}

	e.sb.SetFaults(sfsandbox.Faults{ServerErrors: 1, PathPrefix: api + "/tooling/sobjects/CustomField"})
	e.tr.reset()
	opts := append(p.Options, opt("anz", "ANZ", len(p.Options)))
	// The re-read GET takes the 500 and is retried; then the PATCH works.
	if _, err := e.client.Apply(ctx, setOptions(p.Binding, opts...)); err != nil {
		t.Fatal(err)
	}
	cf, err := e.client.GetCustomField(ctx, fieldID(t, e, "Lead", "Region__c"))
	if err != nil {
		t.Fatal(err)
	}
	e.sb.SetFaults(sfsandbox.Faults{ServerErrors: 1})
	e.tr.reset()
	err = e.client.UpdateCustomField(ctx, cf.ID, sfapi.MetadataWrite[sfapi.CustomFieldMetadata]{FullName: cf.FullName, Metadata: cf.Metadata})
	if !isStatus(err, 500) || e.tr.total("PATCH ") != 1 {
		t.Fatalf("Tooling PATCH: %v after %d requests; want the 500 once", err, e.tr.total("PATCH "))
	}
	e.sb.SetFaults(sfsandbox.Faults{ServerErrors: 1, ServerErrorStatus: 503})
	_, err = e.client.UpdateRecords(ctx, []sfapi.RecordUpdate{{Type: "Lead", ID: "00Q000000000001AAA", Fields: map[string]*string{"Region__c": new("na")}}})
	if !isStatus(err, 503) || e.tr.count("PATCH", api+"/composite/sobjects") != 1 {
		t.Fatalf("collection PATCH: %v; want the 503 once", err)
	}
	if v, _ := e.sb.RecordValue("Lead", "00Q000000000001AAA", "Region__c"); v != "latam" {
		t.Fatalf("record changed by a refused PATCH: %q", v)
	}
}

func fieldID(t *testing.T, e *env, object, field string) string {
	t.Helper()
	for _, f := range e.sb.State().Objects[object].Fields {
		if f.Name == field {
			return f.ID
		}
	}
	t.Fatalf("no field %s.%s", object, field)
	return ""
}

func TestDroppedConnectionRetriedForGetNotForPatch(t *testing.T) {
	e := newEnv(t, nil)
	e.sb.SetFaults(sfsandbox.Faults{DropConnections: 2})
	readOne(t, e.client, bind("Lead", "Region__c"))
	e.sb.SetFaults(sfsandbox.Faults{DropConnections: 1})
	e.tr.reset()
	_, err := e.client.UpdateRecords(context.Background(), []sfapi.RecordUpdate{{Type: "Lead", ID: "00Q000000000001AAA", Fields: map[string]*string{"Region__c": new("na")}}})
	if err == nil || !strings.Contains(err.Error(), "PATCH "+api+"/composite/sobjects") || e.tr.total("PATCH ") != 1 {
		t.Fatalf("want one failed PATCH naming the request, got %v", err)
	}
}

func TestTimeoutFailsClearly(t *testing.T) {
	e := newEnv(t, nil, salesforce.WithTimeout(50*time.Millisecond),
		salesforce.WithRetry(salesforce.RetryPolicy{MaxAttempts: 2, Initial: time.Millisecond, Max: time.Millisecond}))
	e.sb.SetFaults(sfsandbox.Faults{Latency: 2 * time.Second})
	start := time.Now()
	_, err := e.client.Describe(context.Background(), "Lead")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no response within 50ms") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Fatalf("want a clear timeout, got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %s; the timeout did not cut the request", d)
	}
}

func TestInvalidSessionIsNotRetried(t *testing.T) {
	e := newEnv(t, sandboxFromSeed(t, sfsandbox.WithToken("the-right-token")))
	_, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{bind("Lead", "Region__c")}})
	var apiErr *live.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, live.ErrUnauthorized) || apiErr.Category != sfapi.CodeInvalidSession {
		t.Fatalf("want 401 INVALID_SESSION_ID, got %v", err)
	}
	if !strings.Contains(err.Error(), "Session expired or invalid") {
		t.Errorf("error lacks Salesforce's message: %v", err)
	}
	if n := e.tr.count("GET", describePath); n != 1 {
		t.Fatalf("401 retried: %d requests", n)
	}
}

func TestUsageIsReadAndWarnedAbove80Percent(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	e := newEnv(t, sandboxFromSeed(t, sfsandbox.WithAPIUsage(790, 1000)), salesforce.WithLogger(logger))
	ctx := context.Background()
	for range 5 {
		if _, err := e.client.Describe(ctx, "Lead"); err != nil {
			t.Fatal(err)
		}
	}
	u, ok := e.client.Usage()
	if !ok || u.Used != 795 || u.Max != 1000 {
		t.Fatalf("usage %+v %v, want 795/1000", u, ok)
	}
	if n := strings.Count(logs.String(), "API usage is high"); n != 0 {
		t.Fatalf("warned below 80%%:\n%s", logs.String())
	}
	for range 20 {
		if _, err := e.client.Describe(ctx, "Lead"); err != nil {
			t.Fatal(err)
		}
	}
	// 800 warns, then once more per 10 calls (1% of 1000): 800 and 810.
	if n := strings.Count(logs.String(), "API usage is high"); n != 2 || !strings.Contains(logs.String(), "api-usage=800/1000") {
		t.Fatalf("%d warnings, want 2:\n%s", n, logs.String())
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	srv := clienttest.NewStub(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
	})
	c := stubClient(t, srv.URL, salesforce.WithRetry(salesforce.RetryPolicy{MaxAttempts: 2}))
	_, err := c.Describe(context.Background(), "Lead")
	if !isStatus(err, 502) || !strings.Contains(err.Error(), "502 Bad Gateway") || srv.Hits.Load() != 2 {
		t.Fatalf("want a 502 with the body snippet after 2 tries, got %v (%d hits)", err, srv.Hits.Load())
	}
}

func TestErrorArrayIsSurfaced(t *testing.T) {
	srv := clienttest.NewStub(t, func(w http.ResponseWriter, _ *http.Request) {
		writeSFError(w, 400,
			sfapi.Error{Message: "bad value for restricted picklist field: x", ErrorCode: "FIELD_INTEGRITY_EXCEPTION", Fields: []string{"Region__c"}},
			sfapi.Error{Message: "second problem", ErrorCode: "INVALID_FIELD"})
	})
	c := stubClient(t, srv.URL)
	_, err := c.Describe(context.Background(), "Lead")
	var apiErr *live.APIError
	if !errors.As(err, &apiErr) || apiErr.Category != "FIELD_INTEGRITY_EXCEPTION" || apiErr.Message != "bad value for restricted picklist field: x" {
		t.Fatalf("APIError %+v", apiErr)
	}
	for _, want := range []string{"fields: Region__c", "INVALID_FIELD: second problem", "GET " + api + "/sobjects/Lead/describe: HTTP 400"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestQueryMoreStaysOnTheInstance(t *testing.T) {
	e := newEnv(t, nil)
	for _, next := range []string{"https://evil.example/services/data/v62.0/query/01g-2", "/services/data/v62.0/sobjects/Lead", "//evil.example/x", api + "/query/../limits"} {
		if _, err := e.client.QueryMore(context.Background(), next); err == nil {
			t.Errorf("QueryMore(%q): want a refusal", next)
		}
	}
	if n := e.tr.total(""); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
