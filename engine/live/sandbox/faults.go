package sandbox

import (
	"net/http"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// Faults are the failures the sandbox injects (see emulator.Faults). In
// HubSpot terms: RateLimitBurst answers 429 RATE_LIMITS for the
// TEN_SECONDLY_ROLLING policy, ServerErrors answer INTERNAL_ERROR.
type Faults = emulator.Faults

// faultWords answers injected faults as HubSpot would.
type faultWords struct{}

func (faultWords) RateLimited(w http.ResponseWriter, retryAfter int) {
	writeRateLimit(w, hsapi.PolicyTenSecondly, retryAfter)
}

func (faultWords) ServerError(w http.ResponseWriter, status int) {
	writeError(w, status, hsapi.CategoryInternal, "internal error (injected by the sandbox)")
}

// SessionExpired answers 401 EXPIRED_AUTHENTICATION, as HubSpot does for
// an expired OAuth access token. Private-app tokens and service keys do not
// expire, and the sandbox issues no tokens, so the next request with the
// same token is accepted again.
func (faultWords) SessionExpired(w http.ResponseWriter) {
	writeError(w, http.StatusUnauthorized, hsapi.CategoryExpiredAuthentication, "The OAuth token used to make this call expired 1 second(s) ago.")
}
