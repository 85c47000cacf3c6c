package hubspot

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
	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

// DefaultBaseURL is HubSpot's API host.
const DefaultBaseURL = "https://api.hubapi.com"

// Client is a HubSpot API client for one account. It is safe for concurrent
// use and implements live.Provider.
type Client struct {
	base    *url.URL
	system  string
	bearer  func() string       // "Bearer <token>"; a closure so no field holds the token
	redact  func(string) string // removes the token from text
	http    *http.Client
	general *rate.Limiter // nil: off
	search  *rate.Limiter // nil: off
	sem     chan struct{} // nil: off
	retry   RetryPolicy
	timeout time.Duration
	clock   Clock
	log     *slog.Logger

	mu    sync.Mutex
	multi map[string]bool // objectType/property → multi-valued, learnt from reads
}

var _ live.Provider = (*Client)(nil)

type config struct {
	httpClient *http.Client
	system     string
	limits     Limits
	retry      RetryPolicy
	timeout    time.Duration
	clock      Clock
	log        *slog.Logger
}

// Option configures a Client.
type Option func(*config)

// WithHTTPClient sets the http.Client (its Timeout should be zero: the
// client sets a per-request timeout itself).
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.httpClient = h } }

// WithSystem sets the Project system name stamped on bindings, snapshots and
// errors. Default "hubspot".
func WithSystem(name string) Option { return func(c *config) { c.system = name } }

// WithLimits sets client-side rate limits. Default DefaultLimits().
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// WithRetry sets the retry policy. Default DefaultRetryPolicy().
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.retry = p } }

// WithTimeout sets the timeout of each attempt. Default 30 s.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithClock sets the clock retries wait on. Default real time.
func WithClock(k Clock) Option { return func(c *config) { c.clock = k } }

// WithLogger logs retries at Info level. Default: no logging. Log records
// carry method, path, status and wait, never headers.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// New returns a client of the HubSpot API at baseURL (DefaultBaseURL for
// production; the sandbox's URL otherwise) authenticating with a
// private-app token. It refuses an empty token and a plain-http URL to a
// host that is not loopback, which would send the token in clear.
func New(baseURL, token string, opts ...Option) (*Client, error) {
	cfg := config{
		httpClient: &http.Client{},
		system:     "hubspot",
		limits:     DefaultLimits(),
		retry:      DefaultRetryPolicy(),
		timeout:    30 * time.Second,
		clock:      pacing.RealClock{},
		log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.httpClient == nil {
		cfg.httpClient = &http.Client{}
	}
	if cfg.clock == nil {
		cfg.clock = pacing.RealClock{}
	}
	if cfg.log == nil {
		cfg.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("hubspot: empty token")
	}
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	if cfg.retry.MaxAttempts < 1 {
		cfg.retry.MaxAttempts = 1
	}
	c := &Client{
		base:    base,
		system:  cfg.system,
		bearer:  func() string { return "Bearer " + token },
		redact:  func(s string) string { return strings.ReplaceAll(s, token, "[REDACTED]") },
		http:    cfg.httpClient,
		general: cfg.limits.generalLimiter(),
		search:  cfg.limits.searchLimiter(),
		retry:   cfg.retry,
		timeout: cfg.timeout,
		clock:   cfg.clock,
		log:     cfg.log,
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
		return nil, fmt.Errorf("hubspot: base URL: %w", err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("hubspot: base URL %q: want http(s)://host", raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("hubspot: base URL %q: plain http is allowed only to loopback; the token would travel in clear", raw)
	}
	if u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("hubspot: base URL %q: must not carry a query or user info", raw)
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

// System is the Project system name the client was created for.
func (c *Client) System() string { return c.system }

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("hubspot.Client{system: %s, base: %s}", c.system, c.base)
}

// Format prints String for every verb, so %v, %+v and %#v of a Client never
// show internals.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// Capabilities: HubSpot deletes an option left out of the list (records
// keep it as an invalid value, which is why plan counts them first), and
// has subscription definitions that consent policies name.
func (c *Client) Capabilities() live.Capabilities {
	return live.Capabilities{DeletesOptions: true, SubscriptionTypes: true}
}
