package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

const seedPath = "testdata/seed.json"

func memSandbox(t *testing.T, opts ...Option) *Sandbox {
	t.Helper()
	sb, err := Open("", seedPath, append([]Option{WithLimits(Limits{})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

// answer is a recorded response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

func (a answer) apiError(t *testing.T) hsapi.Error {
	t.Helper()
	var e hsapi.Error
	a.decode(t, &e)
	if e.Status != "error" || e.Message == "" || e.Category == "" || e.CorrelationID == "" {
		t.Fatalf("not a HubSpot error body: %s", a.body)
	}
	if e.CorrelationID != a.header.Get(hsapi.HeaderCorrelationID) {
		t.Fatalf("correlationId %q differs from header %q", e.CorrelationID, a.header.Get(hsapi.HeaderCorrelationID))
	}
	return e
}

// call sends one request to the handler with a bearer token.
func call(t *testing.T, h http.Handler, method, path, body string) answer {
	t.Helper()
	return callAs(t, h, "test-token", method, path, body)
}

func callAs(t *testing.T, h http.Handler, token, method, path, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func wantStatus(t *testing.T, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
}

var timeZero = time.Time{}
