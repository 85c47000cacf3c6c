package sfsandbox

import (
	"net/http"
	"strconv"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

// Faults are failures the sandbox injects, for tests: the HubSpot
// sandbox's type, so `--faults` and PUT /_sandbox/faults read the same
// (sandbox.ParseFaults). In Salesforce terms:
//
//	RateLimitBurst  403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded." (a passing limit)
//	RetryAfter      Retry-After sent with those (Salesforce sends none; 0 keeps it so)
//	ServerErrors    ServerErrorStatus (default 500) with UNKNOWN_EXCEPTION, or SERVER_UNAVAILABLE for 503
//	Latency         delays every matching request
//	DropConnections closes the connection without an answer
//	PathPrefix      limits faults to paths starting with it
type Faults = sandbox.Faults

// injectFault carries out the request's fault; true means it answered.
func (s *Sandbox) injectFault(w http.ResponseWriter, r *http.Request) bool {
	kind, f, ok := s.Take(r)
	if !ok {
		return true
	}
	switch kind {
	case sandbox.DropFault:
		sandbox.DropConnection(w)
		return true
	case sandbox.RateLimitFault:
		if secs := f.RetryAfterSeconds(); secs > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		writeError(w, http.StatusForbidden, sfapi.CodeRequestLimit, "ConcurrentPerOrgLongTxn Limit exceeded.")
		return true
	case sandbox.ServerFault:
		status := f.ServerErrorStatus
		if status == 0 {
			status = http.StatusInternalServerError
		}
		code := sfapi.CodeUnknownException
		if status == http.StatusServiceUnavailable {
			code = sfapi.CodeServerUnavailable
		}
		writeError(w, status, code, "An unexpected error occurred (injected by the sandbox).")
		return true
	}
	return false
}
