package clienttest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Redirects checks that a client never takes its token to another origin
// on a redirect. call makes one API call with a client of base that uses
// hc as its http.Client, and returns the call's error. A server redirects
// the call (307) to another port, another host name and, from https,
// down to http: each must fail with "redirect to another origin refused"
// and the other origin must see no request. A redirect within the origin
// is followed, with the token.
func Redirects(t *testing.T, token string, call func(base string, hc *http.Client) error) {
	t.Helper()
	type seen struct {
		mu   sync.Mutex
		auth []string
	}
	record := func(s *seen, next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			s.auth = append(s.auth, r.Header.Get("Authorization"))
			s.mu.Unlock()
			next(w, r)
		}
	}
	notFound := func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "not here", http.StatusNotFound) }
	redirectTo := func(target func(r *http.Request) string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("moved") != "" {
				notFound(w, r)
				return
			}
			http.Redirect(w, r, target(r), http.StatusTemporaryRedirect)
		}
	}
	for _, c := range []struct {
		name string
		// to is where the first server sends the call; other is the
		// server at that origin, nil when nothing listens there.
		tls    bool
		to     func(first, other *httptest.Server, r *http.Request) string
		follow bool
	}{
		{name: "another port", to: func(_, other *httptest.Server, r *http.Request) string { return other.URL + r.URL.RequestURI() }},
		{name: "another host name", to: func(_, other *httptest.Server, r *http.Request) string {
			return strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + r.URL.RequestURI()
		}},
		{name: "https down to http", tls: true, to: func(first, _ *httptest.Server, r *http.Request) string {
			return "http://" + first.Listener.Addr().String() + r.URL.RequestURI()
		}},
		{name: "the same origin", follow: true, to: func(first, _ *httptest.Server, r *http.Request) string {
			u := *r.URL
			q := u.Query()
			q.Set("moved", "1")
			u.RawQuery = q.Encode()
			return first.URL + u.RequestURI()
		}},
	} {
		t.Run("redirect to "+c.name, func(t *testing.T) {
			var firstSeen, otherSeen seen
			other := httptest.NewServer(record(&otherSeen, notFound))
			defer other.Close()
			var first *httptest.Server
			h := record(&firstSeen, redirectTo(func(r *http.Request) string { return c.to(first, other, r) }))
			if c.tls {
				first = httptest.NewTLSServer(h)
			} else {
				first = httptest.NewServer(h)
			}
			defer first.Close()
			err := call(first.URL, first.Client())
			if err == nil {
				t.Fatal("the call succeeded")
			}
			refused := strings.Contains(err.Error(), "redirect to another origin refused")
			otherSeen.mu.Lock()
			firstSeen.mu.Lock()
			defer otherSeen.mu.Unlock()
			defer firstSeen.mu.Unlock()
			switch {
			case c.follow && (refused || len(firstSeen.auth) < 2 || firstSeen.auth[1] != "Bearer "+token):
				t.Errorf("a redirect within the origin was not followed with the token: %v (requests: %d)", err, len(firstSeen.auth))
			case !c.follow && !refused:
				t.Errorf("want the redirect refused, got %v", err)
			case len(otherSeen.auth) > 0:
				t.Errorf("the other origin got %d request(s), Authorization %q", len(otherSeen.auth), otherSeen.auth)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}
