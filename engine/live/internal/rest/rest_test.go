package rest

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

const token = "tok-1234567890"

// server answers the i-th request (from 0) with answers[min(i, last)].
func server(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1) - 1)
		answers[min(i, len(answers)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, header ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"echo":"` + r.Header.Get("Authorization") + `"}`))
	}
}

// newClient is a client of srv whose vendor reads any 429 or 423 as "not
// applied", 423 with a 2 s minimum wait, and a body saying "daily" as
// hopeless.
func newClient(t *testing.T, srv *httptest.Server, log *bytes.Buffer) (*Client, *clienttest.Clock) {
	t.Helper()
	base, err := ParseBase(srv.URL, "test: base URL", "http(s)://host", false)
	if err != nil {
		t.Fatal(err)
	}
	authorize, redact, err := BearerToken("test", token)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clienttest.Clock{}
	c := &Client{
		Vendor: "test", System: "sys", Base: base, Authorize: authorize, Redact: redact,
		Retry:   pacing.RetryPolicy{MaxAttempts: 3, Initial: time.Millisecond, Max: time.Millisecond, MaxRetryAfter: 10 * time.Second},
		Timeout: 5 * time.Second, Clock: clk,
		Decode: func(_ Call, resp *http.Response, body []byte, e *live.APIError) Verdict {
			e.Message = Fallback(resp.StatusCode, body)
			v := Verdict{NotApplied: resp.StatusCode == 429 || resp.StatusCode == 423, Hopeless: strings.Contains(e.Message, "daily")}
			if resp.StatusCode == 423 {
				v.MinWait = 2 * time.Second
			}
			return v
		},
	}
	if log != nil {
		c.Log = slog.New(slog.NewTextHandler(log, nil))
	}
	c.Defaults()
	return c, clk
}

// TestRetries: what the loop does with each kind of answer, for a call
// that may be repeated and one that may not.
func TestRetries(t *testing.T) {
	cases := []struct {
		name       string
		answers    []func(http.ResponseWriter, *http.Request)
		idempotent bool
		wantErr    string // "" for success
		wantTries  int64
		wantWaits  []time.Duration // nil: not checked (backoff is random)
	}{
		{"429 then 200, Retry-After honoured", []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "3"), status(200)}, false, "", 2, []time.Duration{3 * time.Second}},
		{"429 asking too long fails at once", []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "60")}, true, "more than the 10s the client waits", 1, []time.Duration{}},
		{"hopeless 429 is not retried", []func(http.ResponseWriter, *http.Request){func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(429)
			_, _ = w.Write([]byte("daily limit"))
		}}, true, "HTTP 429: daily limit", 1, []time.Duration{}},
		{"423 waits at least 2 s", []func(http.ResponseWriter, *http.Request){status(423, "Retry-After", "1"), status(200)}, false, "", 2, []time.Duration{2 * time.Second}},
		{"503 retried when idempotent, Retry-After honoured", []func(http.ResponseWriter, *http.Request){status(503, "Retry-After", "1"), status(200)}, true, "", 2, []time.Duration{time.Second}},
		{"503 not retried otherwise", []func(http.ResponseWriter, *http.Request){status(503)}, false, "HTTP 503", 1, []time.Duration{}},
		{"500 until giving up", []func(http.ResponseWriter, *http.Request){status(500)}, true, "(gave up after 3 attempts)", 3, nil},
		{"400 is final", []func(http.ResponseWriter, *http.Request){status(400)}, true, "HTTP 400", 1, []time.Duration{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, tries := server(t, tc.answers...)
			c, clk := newClient(t, srv, nil)
			err := c.Do(context.Background(), Call{Method: http.MethodPost, Path: "/x", Body: map[string]int{"a": 1}, Idempotent: tc.idempotent})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "sys: POST /x: HTTP") {
				t.Errorf("error %q does not name the system and the request", err)
			}
			if err != nil && strings.Contains(err.Error(), token) {
				t.Errorf("error leaks the token: %v", err)
			}
			if got := tries.Load(); got != tc.wantTries {
				t.Errorf("%d tries, want %d", got, tc.wantTries)
			}
			if tc.wantWaits != nil && !slices.Equal(clk.Waits(), tc.wantWaits) {
				t.Errorf("waits %v, want %v", clk.Waits(), tc.wantWaits)
			}
		})
	}
}

// TestAnswerHandling: the request the server sees, the headers the vendor
// observes, the decoded body, the redacted error and the retry log.
func TestAnswerHandling(t *testing.T) {
	var seen http.Header
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		w.Header().Set("X-Usage", "5/10")
		w.WriteHeader(500)
		_, _ = w.Write([]byte("boom for " + r.Header.Get("Authorization")))
	}, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Usage", "6/10")
		_, _ = w.Write([]byte(`{"n": 7}`))
	})
	var log bytes.Buffer
	c, _ := newClient(t, srv, &log)
	var usage []string
	c.Observe = func(cl Call, h http.Header) { usage = append(usage, cl.String()+" "+h.Get("X-Usage")) }
	var out struct{ N int }
	var header http.Header
	if err := c.Do(context.Background(), Call{Method: http.MethodGet, Path: "/n", Out: &out, Idempotent: true, Header: &header}); err != nil {
		t.Fatal(err)
	}
	if out.N != 7 || header.Get("X-Usage") != "6/10" {
		t.Errorf("decoded %+v, headers %v", out, header)
	}
	if seen.Get("Authorization") != "Bearer "+token || seen.Get("Accept") != "application/json" || seen.Get("User-Agent") != "mops" {
		t.Errorf("request headers %v", seen)
	}
	if strings.Join(usage, ",") != "GET /n 5/10,GET /n 6/10" {
		t.Errorf("observed %q, want every answer's header", usage)
	}
	if !strings.Contains(log.String(), `msg="test: retrying" system=sys method=GET path=/n attempt=2`) {
		t.Errorf("retry log %q", log.String())
	}
	if strings.Contains(log.String(), token) || !strings.Contains(log.String(), "[REDACTED]") {
		t.Errorf("retry log does not redact the token: %q", log.String())
	}
	// The API error keeps its fields, redacted.
	srv2, _ := server(t, status(400))
	c2, _ := newClient(t, srv2, nil)
	err := c2.Do(context.Background(), Call{Method: http.MethodGet, Path: "/n"})
	var ae *live.APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.System != "sys" || ae.Path != "/n" || strings.Contains(ae.Message, token) {
		t.Fatalf("error %#v", err)
	}
}

func TestParseBase(t *testing.T) {
	for _, tc := range []struct {
		raw      string
		bareHost bool
		want     string // error substring, or the URL
	}{
		{"https://api.example.com/", false, "https://api.example.com"},
		{"https://api.example.com/v1", false, "https://api.example.com/v1"},
		{"http://127.0.0.1:8080", true, "http://127.0.0.1:8080"},
		{"http://[::1]:1/", true, "http://[::1]:1"},
		{"http://api.example.com", false, "plain http is allowed only to loopback"},
		{"ftp://x", false, "want http(s)://host"},
		{"https://u:p@api.example.com", false, "must not carry a query or user info"},
		{"https://api.example.com?x=1", false, "must not carry a query or user info"},
		{"https://api.example.com/v1", true, "want the bare host"},
		{"://", false, "missing protocol scheme"},
	} {
		u, err := ParseBase(tc.raw, "test: base URL", "http(s)://host", tc.bareHost)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = u.String()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("ParseBase(%q, %v) = %q, want %q", tc.raw, tc.bareHost, got, tc.want)
		}
	}
}

// FuzzParseBase: whatever the text, an accepted URL is http(s) with a
// host, carries no user info or query, and is plain http only to
// loopback.
func FuzzParseBase(f *testing.F) {
	for _, s := range []string{"https://api.hubapi.com", "http://127.0.0.1:1/", "http://localhost", "http://evil.com", "https://u@h?q=1#f", "http://[::1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, bare := range []bool{false, true} {
			u, err := ParseBase(raw, "x", "y", bare)
			if err != nil {
				continue
			}
			switch {
			case u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
				t.Fatalf("%q: accepted %q without an http(s) host", raw, u)
			case u.User != nil || u.RawQuery != "":
				t.Fatalf("%q: accepted %q with user info or a query", raw, u)
			case u.Scheme == "http" && !isLoopback(u.Hostname()):
				t.Fatalf("%q: accepted plain http to %q", raw, u.Hostname())
			case bare && u.Path != "":
				t.Fatalf("%q: accepted a path %q for a bare host", raw, u.Path)
			}
		}
	})
}

func TestBearerTokenRefusesEmpty(t *testing.T) {
	if _, _, err := BearerToken("test", " \t"); err == nil || err.Error() != "test: empty token" {
		t.Fatalf("error %v", err)
	}
}

// TestRenew: an answer the vendor reads as expired credentials renews
// them once and sends the call again, even one that is not idempotent;
// renewed credentials refused too fail the call, and a renewal that fails
// says so.
func TestRenew(t *testing.T) {
	expired := func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(401)
		_, _ = w.Write([]byte("INVALID_SESSION_ID"))
	}
	cases := []struct {
		name      string
		answers   []func(http.ResponseWriter, *http.Request)
		renewErr  error
		wantErr   string
		wantTries int64
		wantRenew []string
	}{
		{"expired then fine", []func(http.ResponseWriter, *http.Request){expired, status(200)}, nil, "", 2, []string{"Bearer " + token}},
		{"refused after renewing", []func(http.ResponseWriter, *http.Request){expired}, nil, "HTTP 401", 2, []string{"Bearer " + token}},
		{"renewal fails", []func(http.ResponseWriter, *http.Request){expired}, errors.New("token endpoint says no"), "sys: POST /x: renew credentials: token endpoint says no", 1, []string{"Bearer " + token}},
		{"other 401 is not renewed", []func(http.ResponseWriter, *http.Request){status(401)}, nil, "HTTP 401", 1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, tries := server(t, tc.answers...)
			c, _ := newClient(t, srv, nil)
			decode := c.Decode
			c.Decode = func(cl Call, resp *http.Response, body []byte, e *live.APIError) Verdict {
				v := decode(cl, resp, body, e)
				v.Expired = strings.Contains(string(body), "INVALID_SESSION_ID")
				return v
			}
			var renewed []string
			c.Renew = func(_ context.Context, refused string) error {
				renewed = append(renewed, refused)
				return tc.renewErr
			}
			err := c.Do(context.Background(), Call{Method: http.MethodPost, Path: "/x", Body: map[string]int{"a": 1}})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if got := tries.Load(); got != tc.wantTries {
				t.Errorf("%d tries, want %d", got, tc.wantTries)
			}
			if !slices.Equal(renewed, tc.wantRenew) {
				t.Errorf("renewed after %q, want %q", renewed, tc.wantRenew)
			}
		})
	}
}

// TestRaw: a Raw body goes out with its content type, and a *Raw answer
// comes back as bytes, asked for with its content type as Accept.
func TestRaw(t *testing.T) {
	var gotType, gotAccept, gotBody string
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		gotType, gotAccept = r.Header.Get("Content-Type"), r.Header.Get("Accept")
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		gotBody = b.String()
		_, _ = w.Write([]byte("sf__Id,sf__Error\n001,oops\n"))
	})
	c, _ := newClient(t, srv, nil)
	out := &Raw{ContentType: "text/csv"}
	err := c.Do(context.Background(), Call{Method: http.MethodPut, Path: "/up", Body: Raw{ContentType: "text/csv", Data: []byte("Id,F\n001,x\n")}, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if gotType != "text/csv" || gotAccept != "text/csv" || gotBody != "Id,F\n001,x\n" {
		t.Errorf("server saw Content-Type %q, Accept %q, body %q", gotType, gotAccept, gotBody)
	}
	if string(out.Data) != "sf__Id,sf__Error\n001,oops\n" {
		t.Errorf("answer %q", out.Data)
	}
}
