package salesforce

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/mops-dev/mops/engine/live/internal/pacing"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

type config struct {
	httpClient *http.Client
	system     string
	apiVersion string
	limits     Limits
	retry      RetryPolicy
	timeout    time.Duration
	clock      Clock
	log        *slog.Logger
	warnAt     float64
}

func defaultConfig() config {
	return config{
		httpClient: &http.Client{},
		system:     "salesforce",
		apiVersion: sfapi.DefaultAPIVersion,
		limits:     DefaultLimits(),
		retry:      DefaultRetryPolicy(),
		timeout:    60 * time.Second,
		clock:      pacing.RealClock{},
		warnAt:     0.8,
	}
}

// fill replaces nil settings with defaults.
func (c *config) fill() {
	if c.httpClient == nil {
		c.httpClient = &http.Client{}
	}
	if c.clock == nil {
		c.clock = pacing.RealClock{}
	}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.apiVersion == "" {
		c.apiVersion = sfapi.DefaultAPIVersion
	}
	if c.retry.MaxAttempts < 1 {
		c.retry.MaxAttempts = 1
	}
}

// Option configures a Client.
type Option func(*config)

// WithHTTPClient sets the http.Client (its Timeout should be zero: the
// client sets a per-request timeout itself).
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.httpClient = h } }

// WithSystem sets the Project system name stamped on bindings, snapshots and
// errors. Default "salesforce".
func WithSystem(name string) Option { return func(c *config) { c.system = name } }

// WithAPIVersion sets the REST API version, "v62.0" or "62.0". Default
// sfapi.DefaultAPIVersion.
func WithAPIVersion(v string) Option { return func(c *config) { c.apiVersion = v } }

// WithLimits sets client-side rate limits. Default DefaultLimits().
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// WithRetry sets the retry policy. Default DefaultRetryPolicy().
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.retry = p } }

// WithTimeout sets the timeout of each attempt. Default 60 s.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithClock sets the clock retries wait on. Default real time.
func WithClock(k Clock) Option { return func(c *config) { c.clock = k } }

// WithLogger logs retries (Info) and high API usage (Warn). Default: no
// logging. Records carry method, path, status, wait and usage, never
// headers.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithUsageWarning sets the fraction of the org's daily API allocation
// above which the client logs a warning. Default 0.8; 0 or less switches
// the warning off.
func WithUsageWarning(fraction float64) Option { return func(c *config) { c.warnAt = fraction } }
