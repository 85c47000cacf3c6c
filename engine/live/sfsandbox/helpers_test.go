package sfsandbox_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

const (
	seedPath = "testdata/seed.json"
	api      = "/services/data/v62.0"
	token    = "test-session-token"
)

func open(t testing.TB, opts ...sfsandbox.Option) *sfsandbox.Sandbox {
	t.Helper()
	sb, err := sfsandbox.Open("", seedPath, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

// answer is one response of the handler.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// errs decodes Salesforce's error array.
func (a answer) errs(t testing.TB) []sfapi.Error {
	t.Helper()
	var out []sfapi.Error
	if err := json.Unmarshal(a.body, &out); err != nil || len(out) == 0 {
		t.Fatalf("HTTP %d: want an error array, got %s", a.status, a.body)
	}
	return out
}

func (a answer) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("HTTP %d: decode %s: %v", a.status, a.body, err)
	}
}

// call sends one request to the handler in memory with the test token.
func call(t testing.TB, h http.Handler, method, path string, body any) answer {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		data, ok := body.([]byte)
		if !ok {
			var err error
			if data, err = json.Marshal(body); err != nil {
				t.Fatal(err)
			}
		}
		rd = bytes.NewReader(data)
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func query(t testing.TB, h http.Handler, soql string) answer {
	t.Helper()
	return call(t, h, http.MethodGet, api+"/query?q="+url.QueryEscape(soql), nil)
}

func toolingQuery(t testing.TB, h http.Handler, soql string) answer {
	t.Helper()
	return call(t, h, http.MethodGet, api+"/tooling/query?q="+url.QueryEscape(soql), nil)
}

// page is a query answer with records as maps.
type page struct {
	TotalSize      int              `json:"totalSize"`
	Done           bool             `json:"done"`
	NextRecordsURL string           `json:"nextRecordsUrl"`
	Records        []map[string]any `json:"records"`
}

func fieldID(t testing.TB, sb *sfsandbox.Sandbox, object, field string) string {
	t.Helper()
	for _, f := range sb.State().Objects[object].Fields {
		if f.Name == field {
			return f.ID
		}
	}
	t.Fatalf("no field %s.%s", object, field)
	return ""
}
