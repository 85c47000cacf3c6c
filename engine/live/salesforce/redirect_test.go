package salesforce_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/salesforce"
)

// TestTokenNeverFollowsARedirectElsewhere: the access token goes only to
// the instance URL's origin, however the server redirects.
func TestTokenNeverFollowsARedirectElsewhere(t *testing.T) {
	clienttest.Redirects(t, testToken, func(base string, hc *http.Client) error {
		c := stubClient(t, base, salesforce.WithHTTPClient(hc), salesforce.WithRetry(salesforce.RetryPolicy{MaxAttempts: 1}))
		_, err := c.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{{Object: "Contact", Property: "LeadSource"}}})
		return err
	})
}
