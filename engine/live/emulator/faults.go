package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Faults are failures an emulator injects, for tests; each emulator
// answers them in its vendor's words. Counters are used up one per
// matching request; Latency applies to every matching request. Faults
// never apply to the /_sandbox/ admin endpoints.
type Faults struct {
	// RateLimitBurst answers the next N requests with the vendor's
	// rate-limit refusal (HubSpot: 429; Salesforce: 403
	// REQUEST_LIMIT_EXCEEDED).
	RateLimitBurst int
	// RetryAfter is sent as Retry-After (whole seconds) with injected
	// rate-limit refusals; 0 sends no header.
	RetryAfter time.Duration
	// ServerErrors answers the next N requests with ServerErrorStatus.
	ServerErrors int
	// ServerErrorStatus is the status of injected server errors (500 when
	// 0).
	ServerErrorStatus int
	// Latency delays every request.
	Latency time.Duration
	// DropConnections closes the connection of the next N requests
	// without answering.
	DropConnections int
	// ExpireSessions ends the sessions of the next N requests: the
	// emulator forgets the access tokens it issued and answers 401 as the
	// vendor does for an expired token (Salesforce: INVALID_SESSION_ID), so
	// a client must get a new token to go on.
	ExpireSessions int
	// PathPrefix limits faults to requests whose path starts with it.
	PathPrefix string
}

// faultsJSON is the admin endpoint's form: durations as Go strings.
type faultsJSON struct {
	RateLimitBurst    int    `json:"rateLimitBurst"`
	RetryAfter        string `json:"retryAfter,omitempty"`
	ServerErrors      int    `json:"serverErrors"`
	ServerErrorStatus int    `json:"serverErrorStatus,omitempty"`
	Latency           string `json:"latency,omitempty"`
	DropConnections   int    `json:"dropConnections"`
	ExpireSessions    int    `json:"expireSessions,omitempty"`
	PathPrefix        string `json:"pathPrefix,omitempty"`
}

// MarshalJSON writes durations as strings such as "250ms".
func (f Faults) MarshalJSON() ([]byte, error) {
	j := faultsJSON{f.RateLimitBurst, "", f.ServerErrors, f.ServerErrorStatus, "", f.DropConnections, f.ExpireSessions, f.PathPrefix}
	if f.RetryAfter > 0 {
		j.RetryAfter = f.RetryAfter.String()
	}
	if f.Latency > 0 {
		j.Latency = f.Latency.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (f *Faults) UnmarshalJSON(data []byte) error {
	var j faultsJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	out := Faults{RateLimitBurst: j.RateLimitBurst, ServerErrors: j.ServerErrors, ServerErrorStatus: j.ServerErrorStatus,
		DropConnections: j.DropConnections, ExpireSessions: j.ExpireSessions, PathPrefix: j.PathPrefix}
	var err error
	if out.RetryAfter, err = parseDuration(j.RetryAfter); err != nil {
		return fmt.Errorf("retryAfter: %w", err)
	}
	if out.Latency, err = parseDuration(j.Latency); err != nil {
		return fmt.Errorf("latency: %w", err)
	}
	*f = out
	return out.check()
}

// ParseFaults reads faults from a compact form for an env var or flag, e.g.
// "ratelimit=3,retryafter=1s,server=2,status=503,latency=200ms,drop=1,expire=1,path=/crm/v3/objects".
func ParseFaults(s string) (Faults, error) {
	var f Faults
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault %q: want key=value", part)
		}
		var err error
		switch k {
		case "ratelimit":
			f.RateLimitBurst, err = strconv.Atoi(v)
		case "retryafter":
			f.RetryAfter, err = parseDuration(v)
		case "server":
			f.ServerErrors, err = strconv.Atoi(v)
		case "status":
			f.ServerErrorStatus, err = strconv.Atoi(v)
		case "latency":
			f.Latency, err = parseDuration(v)
		case "drop":
			f.DropConnections, err = strconv.Atoi(v)
		case "expire":
			f.ExpireSessions, err = strconv.Atoi(v)
		case "path":
			f.PathPrefix = v
		default:
			return Faults{}, fmt.Errorf("fault %q: unknown key (want ratelimit, retryafter, server, status, latency, drop, expire or path)", k)
		}
		if err != nil {
			return Faults{}, fmt.Errorf("fault %q: %w", part, err)
		}
	}
	return f, f.check()
}

func (f Faults) check() error {
	if f.RateLimitBurst < 0 || f.ServerErrors < 0 || f.DropConnections < 0 || f.ExpireSessions < 0 || f.Latency < 0 || f.RetryAfter < 0 {
		return fmt.Errorf("faults: counts and durations must not be negative")
	}
	if f.ServerErrorStatus != 0 && (f.ServerErrorStatus < 500 || f.ServerErrorStatus > 599) {
		return fmt.Errorf("faults: serverErrorStatus %d is not a 5xx", f.ServerErrorStatus)
	}
	return nil
}

func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(s)
}

// Duration is a time.Duration that JSON writes and reads as a Go duration
// string ("3s", "250ms"); a bare number reads as seconds. Emulator seeds
// use it for tenant settings such as a search index lag.
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a duration string or a number of seconds.
func (d *Duration) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		var n float64
		if json.Unmarshal(data, &n) != nil {
			return fmt.Errorf("duration: want a string such as \"3s\" or a number of seconds, got %s", data)
		}
		// A seed is a file anyone may write: a negative number, or one
		// past what a time.Duration holds, is refused rather than wrapped.
		if n < 0 || n > float64(math.MaxInt64/int64(time.Second)) {
			return fmt.Errorf("duration: %s seconds is out of range", data)
		}
		*d = Duration(time.Duration(n * float64(time.Second)))
		return nil
	}
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("duration %q is negative", s)
	}
	*d = Duration(v)
	return nil
}
