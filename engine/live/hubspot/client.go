package hubspot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/memo"
	"github.com/mops-dev/mops/engine/live/internal/rest"
)

// DefaultBaseURL is HubSpot's API host.
const DefaultBaseURL = "https://api.hubapi.com"

// Client is a HubSpot API client for one account. It is safe for concurrent
// use and implements live.Provider.
type Client struct {
	api     rest.Client   // the call loop: base URL, token, pacing, retries
	search  *rate.Limiter // search calls' own limiter
	version string        // the API version called
	paths   hsapi.Paths   // its paths
	// settleFor bounds the wait for search to show a migration's writes.
	settleFor time.Duration
	// budget is the account's rate-limit window as HubSpot reports it.
	budget *budget

	multi memo.Map[live.Binding, bool] // multi-valued, learnt from reads

	// tokenInfo asks HubSpot about the client's own token; a closure, so
	// that the token stays out of every field.
	tokenInfo func(ctx context.Context) (*hsapi.TokenInfo, error)
}

var _ live.Provider = (*Client)(nil)

// config is the call loop being built, and the limits to build it with.
type config struct {
	api       rest.Client
	limits    Limits
	version   string
	settleFor time.Duration
}

// Option configures a Client.
type Option func(*config)

// WithHTTPClient sets the http.Client (its Timeout should be zero: the
// client sets a per-request timeout itself).
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.api.HTTP = h } }

// WithSystem sets the Project system name stamped on bindings, snapshots and
// errors. Default "hubspot".
func WithSystem(name string) Option { return func(c *config) { c.api.System = name } }

// WithAPIVersion sets the API version: hsapi.VersionV3 (the numeric
// paths, /crm/v3/...) or a date-based one (/crm/properties/2026-09/...).
// Default hsapi.DefaultVersion.
func WithAPIVersion(v string) Option { return func(c *config) { c.version = v } }

// WithSettle bounds how long a migration waits, after its last batch, for
// HubSpot's search index to show its writes. Default 30 s.
func WithSettle(d time.Duration) Option { return func(c *config) { c.settleFor = d } }

// WithLimits sets client-side rate limits. Default DefaultLimits().
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// WithRetry sets the retry policy. Default DefaultRetryPolicy().
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.api.Retry = p } }

// WithTimeout sets the timeout of each attempt. Default 30 s.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.api.Timeout = d } }

// WithClock sets the clock retries wait on. Default real time.
func WithClock(k Clock) Option { return func(c *config) { c.api.Clock = k } }

// WithLogger logs retries at Info level. Default: no logging. Log records
// carry method, path, status and wait, never headers.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.api.Log = l } }

// New returns a client of the HubSpot API at baseURL (DefaultBaseURL for
// production; the sandbox's URL otherwise) authenticating with a
// private-app token. It refuses an empty token and a plain-http URL to a
// host that is not loopback, which would send the token in clear.
func New(baseURL, token string, opts ...Option) (*Client, error) {
	cfg := config{
		api:       rest.Client{Vendor: "hubspot", System: "hubspot", Retry: DefaultRetryPolicy(), Timeout: 30 * time.Second},
		limits:    DefaultLimits(),
		version:   hsapi.DefaultVersion,
		settleFor: 30 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if err := hsapi.CheckVersion(cfg.version); err != nil {
		return nil, fmt.Errorf("hubspot: %w", err)
	}
	c := &Client{api: cfg.api, search: cfg.limits.searchLimiter(), version: cfg.version, paths: hsapi.PathsOf(cfg.version), settleFor: cfg.settleFor}
	var err error
	if c.api.Authorize, c.api.Redact, err = rest.BearerToken("hubspot", token); err != nil {
		return nil, err
	}
	c.tokenInfo = func(ctx context.Context) (*hsapi.TokenInfo, error) {
		var out hsapi.TokenInfo
		err := c.api.Do(ctx, rest.Call{Method: http.MethodPost, Path: hsapi.PathAccessTokenInfo,
			Body: hsapi.TokenInfoRequest{TokenKey: token}, Out: &out, Idempotent: true})
		if err != nil {
			return nil, err
		}
		return &out, nil
	}
	if c.api.Base, err = rest.ParseBase(baseURL, "hubspot: base URL", "http(s)://host", false); err != nil {
		return nil, err
	}
	c.api.Limiter = cfg.limits.generalLimiter()
	c.api.Slots = rest.Slots(cfg.limits.Concurrent)
	c.api.Decode = c.decodeError
	c.api.Defaults()
	c.budget = &budget{clock: c.api.Clock, log: c.api.Log, system: c.api.System, window: defaultWindow}
	c.api.Observe, c.api.Gate = c.budget.observe, c.budget.gate
	return c, nil
}

// System is the Project system name the client was created for.
func (c *Client) System() string { return c.api.System }

// APIVersion is the HubSpot API version the client calls.
func (c *Client) APIVersion() string { return c.version }

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("hubspot.Client{system: %s, base: %s, api: %s}", c.api.System, c.api.Base, c.version)
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
