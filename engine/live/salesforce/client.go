package salesforce

import (
	"cmp"
	"fmt"
	"io"
	"net/http"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/memo"
	"github.com/mops-dev/mops/engine/live/internal/rest"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Client is a Salesforce REST and Tooling API client for one org. It is
// safe for concurrent use and implements live.Provider.
type Client struct {
	api   rest.Client // the call loop: instance URL, token, pacing, retries
	root  string      // /services/data/vXX.X
	usage *usageTracker

	bulkThreshold int // records above which migrations use Bulk API 2.0
	bulkPoll      BulkPoll

	backing memo.Map[string, backing]    // "Object.Field" → where its values live
	multi   memo.Map[live.Binding, bool] // multi-select, learnt from describes
	acc     memo.Map[struct{}, access]   // the running user's, read once
}

var _ live.Provider = (*Client)(nil)

// New returns a client of the org at instanceURL (https://acme.my.salesforce.com,
// or the emulator's loopback URL) authenticating with an access token sent
// as a Bearer header. It refuses an empty token and a plain-http URL to a
// host that is not loopback, which would send the token in clear.
// A token obtained elsewhere cannot be renewed; Connect runs an OAuth flow
// that can.
func New(instanceURL, token string, opts ...Option) (*Client, error) {
	authorize, redact, err := rest.BearerToken("salesforce", token)
	if err != nil {
		return nil, err
	}
	return build(newConfig(opts), instanceURL, authorize, redact)
}

// build returns a client of the org at instanceURL whose requests
// authorize sets the credentials of.
func build(cfg config, instanceURL string, authorize func(*http.Request), redact func(string) string) (*Client, error) {
	c := &Client{api: cfg.api, usage: &usageTracker{warnAt: usageWarning}, bulkThreshold: cfg.bulkThreshold, bulkPoll: cfg.bulkPoll}
	c.api.Authorize, c.api.Redact = authorize, redact
	var err error
	if c.api.Base, err = rest.ParseBase(instanceURL, "salesforce: instance URL", "https://host", true); err != nil {
		return nil, err
	}
	version, err := sfapi.NormaliseVersion(cmp.Or(cfg.apiVersion, sfapi.DefaultAPIVersion))
	if err != nil {
		return nil, fmt.Errorf("salesforce: %w", err)
	}
	c.root = sfapi.Root(version)
	c.api.Limiter = cfg.limits.Limiter()
	c.api.Slots = rest.Slots(cfg.limits.Concurrent)
	c.api.Observe = c.noteUsage
	c.api.Decode = c.decodeError
	c.api.Defaults()
	return c, nil
}

// System is the Project system name the client was created for.
func (c *Client) System() string { return c.api.System }

// APIRoot is the data root the client calls, e.g. /services/data/v62.0.
func (c *Client) APIRoot() string { return c.root }

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("salesforce.Client{system: %s, instance: %s, api: %s}", c.api.System, c.api.Base, c.root)
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
