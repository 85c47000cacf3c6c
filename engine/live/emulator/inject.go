package emulator

import (
	"cmp"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Injector hands out injected faults request by request. Emulators embed
// it and answer each kind in their vendor's words. The zero value injects
// nothing.
type Injector struct {
	mu     sync.Mutex
	faults Faults
}

// SetFaults replaces the injected faults.
func (in *Injector) SetFaults(f Faults) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.faults = f
}

// Faults returns the faults still pending.
func (in *Injector) Faults() Faults {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.faults
}

// faultKind is the one fault chosen for a request.
type faultKind int

// The faults a request can get, in the order they are used up.
const (
	noFault faultKind = iota
	dropFault
	expireFault
	rateLimitFault
	serverFault
)

// FaultAnswers word injected faults in a vendor's terms.
type FaultAnswers interface {
	// RateLimited refuses a request for a rate limit, asking to wait
	// retryAfter seconds when that is positive.
	RateLimited(w http.ResponseWriter, retryAfter int)
	// ServerError answers a 5xx status.
	ServerError(w http.ResponseWriter, status int)
	// SessionExpired ends the sessions the emulator issued and answers
	// 401 for an expired token.
	SessionExpired(w http.ResponseWriter)
}

// Inject carries out the fault r gets, if any, answering it in words,
// and reports whether it answered r (also when r ended while waiting out
// the latency).
func (in *Injector) Inject(w http.ResponseWriter, r *http.Request, words FaultAnswers) bool {
	kind, f, ok := in.take(r)
	switch {
	case !ok:
		return true
	case kind == dropFault:
		DropConnection(w)
	case kind == expireFault:
		words.SessionExpired(w)
	case kind == rateLimitFault:
		words.RateLimited(w, f.RetryAfterSeconds())
	case kind == serverFault:
		words.ServerError(w, cmp.Or(f.ServerErrorStatus, http.StatusInternalServerError))
	default:
		return false
	}
	return true
}

// take waits out the injected latency of a matching request, then picks
// and uses up its fault: a dropped connection, then an expired session,
// then a rate-limit answer, then a 5xx. It returns the faults as they stood (for Retry-After and the
// 5xx status); ok is false when the request ended while waiting.
func (in *Injector) take(r *http.Request) (kind faultKind, f Faults, ok bool) {
	in.mu.Lock()
	f = in.faults
	match := strings.HasPrefix(r.URL.Path, f.PathPrefix)
	switch {
	case !match:
	case f.DropConnections > 0:
		in.faults.DropConnections--
		kind = dropFault
	case f.ExpireSessions > 0:
		in.faults.ExpireSessions--
		kind = expireFault
	case f.RateLimitBurst > 0:
		in.faults.RateLimitBurst--
		kind = rateLimitFault
	case f.ServerErrors > 0:
		in.faults.ServerErrors--
		kind = serverFault
	}
	in.mu.Unlock()
	if match && f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return kind, f, false
		}
	}
	return kind, f, true
}

// RetryAfterSeconds is f.RetryAfter rounded up to whole seconds, as the
// Retry-After header carries it; 0 when unset.
func (f Faults) RetryAfterSeconds() int {
	if f.RetryAfter <= 0 {
		return 0
	}
	return max(1, int((f.RetryAfter+time.Second-1)/time.Second))
}

// DropConnection closes the connection without an answer.
func DropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
