package hubspot_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
)

// TestTokenNeverFollowsARedirectElsewhere: the private-app token goes only
// to the base URL's origin, however the server redirects.
func TestTokenNeverFollowsARedirectElsewhere(t *testing.T) {
	clienttest.Redirects(t, testToken, func(base string, hc *http.Client) error {
		c := stubClient(t, base, hubspot.WithHTTPClient(hc), hubspot.WithRetry(hubspot.RetryPolicy{MaxAttempts: 1}))
		_, err := c.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{{Object: "contacts", Property: "region"}}})
		return err
	})
}
