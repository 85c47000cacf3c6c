package sfsandbox

import (
	"net/http"
	"strconv"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Faults are failures the sandbox injects, for tests: the emulators'
// shared type, so `--faults` and PUT /_sandbox/faults read the same as for
// the HubSpot sandbox (emulator.ParseFaults). In Salesforce terms:
//
//	RateLimitBurst  403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded." (a passing limit)
//	RetryAfter      Retry-After sent with those (Salesforce sends none; 0 keeps it so)
//	ServerErrors    ServerErrorStatus (default 500) with UNKNOWN_EXCEPTION, or SERVER_UNAVAILABLE for 503
//	Latency         delays every matching request
//	DropConnections closes the connection without an answer
//	ExpireSessions  forgets the tokens the token endpoint issued, 401 INVALID_SESSION_ID
//	PathPrefix      limits faults to paths starting with it
type Faults = emulator.Faults

// faultWords answers injected faults as Salesforce would.
type faultWords struct{ s *Sandbox }

func (faultWords) RateLimited(w http.ResponseWriter, retryAfter int) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	writeError(w, http.StatusForbidden, sfapi.CodeRequestLimit, "ConcurrentPerOrgLongTxn Limit exceeded.")
}

func (faultWords) ServerError(w http.ResponseWriter, status int) {
	code := sfapi.CodeUnknownException
	if status == http.StatusServiceUnavailable {
		code = sfapi.CodeServerUnavailable
	}
	writeError(w, status, code, "An unexpected error occurred (injected by the sandbox).")
}

// SessionExpired forgets every token the token endpoint issued and answers
// 401 INVALID_SESSION_ID, as Salesforce does once a session times out.
func (f faultWords) SessionExpired(w http.ResponseWriter) {
	f.s.expireSessions()
	writeError(w, http.StatusUnauthorized, sfapi.CodeInvalidSession, "Session expired or invalid")
}
