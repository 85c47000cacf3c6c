package salesforce

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/mops-dev/mops/engine/live/internal/rest"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// config is the call loop being built, and the settings to build it with.
type config struct {
	api           rest.Client
	apiVersion    string
	limits        Limits
	bulkThreshold int
	bulkPoll      BulkPoll
}

// newConfig applies opts to the defaults.
func newConfig(opts []Option) config {
	cfg := config{
		api:           rest.Client{Vendor: "salesforce", System: "salesforce", Retry: DefaultRetryPolicy(), Timeout: 60 * time.Second},
		apiVersion:    sfapi.DefaultAPIVersion,
		limits:        DefaultLimits(),
		bulkThreshold: DefaultBulkThreshold,
		bulkPoll:      DefaultBulkPoll(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// Option configures a Client.
type Option func(*config)

// WithHTTPClient sets the http.Client (its Timeout should be zero: the
// client sets a per-request timeout itself).
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.api.HTTP = h } }

// WithSystem sets the Project system name stamped on bindings, snapshots and
// errors. Default "salesforce".
func WithSystem(name string) Option { return func(c *config) { c.api.System = name } }

// WithAPIVersion sets the REST API version, "v62.0" or "62.0". Default
// sfapi.DefaultAPIVersion.
func WithAPIVersion(v string) Option { return func(c *config) { c.apiVersion = v } }

// WithLimits sets client-side rate limits. Default DefaultLimits().
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// WithRetry sets the retry policy. Default DefaultRetryPolicy().
func WithRetry(p RetryPolicy) Option { return func(c *config) { c.api.Retry = p } }

// WithTimeout sets the timeout of each attempt. Default 60 s.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.api.Timeout = d } }

// WithClock sets the clock retries wait on. Default real time.
func WithClock(k Clock) Option { return func(c *config) { c.api.Clock = k } }

// WithLogger logs retries (Info) and high API usage (Warn). Default: no
// logging. Records carry method, path, status, wait and usage, never
// headers.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.api.Log = l } }

// WithBulkThreshold sets the number of records above which a migration
// writes with Bulk API 2.0 ingest jobs; 0 or less keeps the default
// (DefaultBulkThreshold).
func WithBulkThreshold(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.bulkThreshold = n
		}
	}
}

// WithBulkPoll sets how often ingest jobs are polled. Default
// DefaultBulkPoll().
func WithBulkPoll(p BulkPoll) Option { return func(c *config) { c.bulkPoll = p } }
