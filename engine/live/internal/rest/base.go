package rest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ParseBase parses the URL a client calls and refuses what would put the
// token at risk: a scheme other than http(s), plain http to a host that
// is not loopback (the token would travel in clear), user info or a query.
// what names the URL in errors ("hubspot: base URL"), want says what is
// expected ("http(s)://host"); bareHost also refuses a path.
func ParseBase(raw, what, want string, bareHost bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%s %q: want %s", what, raw, want)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s %q: plain http is allowed only to loopback; the token would travel in clear", what, raw)
	}
	switch {
	case bareHost && (u.RawQuery != "" || u.User != nil || u.Path != ""):
		return nil, fmt.Errorf("%s %q: want the bare host, without path, query or user info", what, raw)
	case u.RawQuery != "" || u.User != nil:
		return nil, fmt.Errorf("%s %q: must not carry a query or user info", what, raw)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// BearerToken returns the hooks for a token sent as "Authorization:
// Bearer <token>": authorize sets the header, redact replaces the token in
// any text with [REDACTED]. The token lives only in these closures, never
// in a field. vendor names the client in the error for an empty token.
func BearerToken(vendor, token string) (authorize func(*http.Request), redact func(string) string, err error) {
	if strings.TrimSpace(token) == "" {
		return nil, nil, errors.New(vendor + ": empty token")
	}
	authorize = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
	redact = func(s string) string { return strings.ReplaceAll(s, token, "[REDACTED]") }
	return authorize, redact, nil
}

// ErrRedirect is the error of a call whose answer redirected it to another
// origin: the client does not follow, so credentials never leave the
// origin they were meant for.
var ErrRedirect = errors.New("redirect to another origin refused")

// sameOrigin is an http.Client's CheckRedirect: it follows a redirect
// only to the scheme, host and port of the first request (so never from
// https down to http), at most 10 times as Go's default does. Go's own
// rule keeps the Authorization header for the same host on any port or
// scheme, and for its subdomains.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if from := via[0].URL; origin(req.URL) != origin(from) {
		return fmt.Errorf("%w: the server sent %s to %s; credentials go only to %s", ErrRedirect, from.Path, origin(req.URL), origin(from))
	}
	return nil
}

// origin is a URL's scheme://host:port, with the scheme's default port
// written out.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return u.Scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
