package salesforce

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Client is a Salesforce REST and Tooling API client for one org. It is
// safe for concurrent use and implements live.Provider.
type Client struct {
	base    *url.URL
	root    string // /services/data/vXX.X
	system  string
	bearer  func() string       // "Bearer <token>"; a closure so no field holds the token
	redact  func(string) string // removes the token from text
	http    *http.Client
	limiter *rate.Limiter // nil: off
	sem     chan struct{} // nil: off
	retry   RetryPolicy
	timeout time.Duration
	clock   Clock
	log     *slog.Logger
	usage   *usageTracker

	mu      sync.Mutex
	backing map[string]backing // "Object.Field" → where its values live
	multi   map[string]bool    // "Object.Field" → multi-select, learnt from describes
}

var _ live.Provider = (*Client)(nil)

// New returns a client of the org at instanceURL (https://acme.my.salesforce.com,
// or the emulator's loopback URL) authenticating with an access token sent
// as a Bearer header. It refuses an empty token and a plain-http URL to a
// host that is not loopback, which would send the token in clear.
func New(instanceURL, token string, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	cfg.fill()
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("salesforce: empty token")
	}
	base, err := parseBase(instanceURL)
	if err != nil {
		return nil, err
	}
	version, err := sfapi.NormaliseVersion(cfg.apiVersion)
	if err != nil {
		return nil, fmt.Errorf("salesforce: %w", err)
	}
	c := &Client{
		base:    base,
		root:    sfapi.Root(version),
		system:  cfg.system,
		bearer:  func() string { return "Bearer " + token },
		redact:  func(s string) string { return strings.ReplaceAll(s, token, "[REDACTED]") },
		http:    cfg.httpClient,
		limiter: cfg.limits.limiter(),
		retry:   cfg.retry,
		timeout: cfg.timeout,
		clock:   cfg.clock,
		log:     cfg.log,
		usage:   &usageTracker{warnAt: cfg.warnAt},
		backing: map[string]backing{},
		multi:   map[string]bool{},
	}
	if cfg.limits.Concurrent > 0 {
		c.sem = make(chan struct{}, cfg.limits.Concurrent)
	}
	return c, nil
}

func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("salesforce: instance URL: %w", err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("salesforce: instance URL %q: want https://host", raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("salesforce: instance URL %q: plain http is allowed only to loopback; the token would travel in clear", raw)
	}
	if u.RawQuery != "" || u.User != nil || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("salesforce: instance URL %q: want the bare host, without path, query or user info", raw)
	}
	u.Path = ""
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// System is the Project system name the client was created for.
func (c *Client) System() string { return c.system }

// APIRoot is the data root the client calls, e.g. /services/data/v62.0.
func (c *Client) APIRoot() string { return c.root }

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("salesforce.Client{system: %s, instance: %s, api: %s}", c.system, c.base, c.root)
}

// Format prints String for every verb, so %v, %+v and %#v of a Client never
// show internals.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// Capabilities: Salesforce never deletes a picklist value through mops
// (removing one deactivates it, so after apply it stays in live as a
// hidden option), and it has no HubSpot-style subscription types, so plan
// does not look for the ones consent policies name.
func (c *Client) Capabilities() live.Capabilities {
	return live.Capabilities{DeletesOptions: false, SubscriptionTypes: false}
}
