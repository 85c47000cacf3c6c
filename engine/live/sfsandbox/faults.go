package sfsandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"

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

// SetFaults replaces the injected faults.
func (s *Sandbox) SetFaults(f Faults) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.faults = f
}

// Faults returns the faults still pending.
func (s *Sandbox) Faults() Faults {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.faults
}

type fault int

const (
	faultNone fault = iota
	faultDrop
	faultLimit
	faultServer
)

// takeFault picks and uses up the fault for a request: drop, then limit,
// then 5xx.
func (s *Sandbox) takeFault(r *http.Request) (fault, Faults) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	f := s.faults
	if !strings.HasPrefix(r.URL.Path, f.PathPrefix) {
		return faultNone, f
	}
	switch {
	case f.DropConnections > 0:
		s.faults.DropConnections--
		return faultDrop, f
	case f.RateLimitBurst > 0:
		s.faults.RateLimitBurst--
		return faultLimit, f
	case f.ServerErrors > 0:
		s.faults.ServerErrors--
		return faultServer, f
	}
	return faultNone, f
}

// injectFault carries out the request's fault; true means it answered.
func (s *Sandbox) injectFault(w http.ResponseWriter, r *http.Request) bool {
	kind, f := s.takeFault(r)
	if f.Latency > 0 && strings.HasPrefix(r.URL.Path, f.PathPrefix) {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	switch kind {
	case faultDrop:
		dropConnection(w)
		return true
	case faultLimit:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int((f.RetryAfter+time.Second-1)/time.Second))))
		}
		writeError(w, http.StatusForbidden, sfapi.CodeRequestLimit, "ConcurrentPerOrgLongTxn Limit exceeded.")
		return true
	case faultServer:
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

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
