package salesforce

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/rest"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// decodeError reads Salesforce's error array into e (the call loop
// redacts it): Category is the first errorCode, Message its message,
// Details the other entries and the fields named. A 401
// INVALID_SESSION_ID is an expired session, which a client from Connect
// renews. A 403
// REQUEST_LIMIT_EXCEEDED comes back as a *LimitError. A 429, and a
// REQUEST_LIMIT_EXCEEDED other than the daily allocation's, mean the
// request was not carried out, so any call may be tried again, unless the
// org's last Sforce-Limit-Info said the allocation is used up.
func (c *Client) decodeError(_ rest.Call, resp *http.Response, data []byte, e *live.APIError) rest.Verdict {
	var body []sfapi.Error
	if json.Unmarshal(data, &body) == nil && len(body) > 0 && (body[0].ErrorCode != "" || body[0].Message != "") {
		e.Category = body[0].ErrorCode
		e.Message = body[0].Message
		for i, be := range body {
			if i > 0 {
				d := be.Message
				if be.ErrorCode != "" {
					d = be.ErrorCode + ": " + d
				}
				e.Details = append(e.Details, d)
			}
			if len(be.Fields) > 0 {
				e.Details = append(e.Details, "fields: "+strings.Join(be.Fields, ", "))
			}
		}
	} else {
		e.Message = rest.Fallback(resp.StatusCode, data)
	}
	v := rest.Verdict{Err: e, NotApplied: notApplied(e), Hopeless: c.exhausted(),
		Expired: e.Status == http.StatusUnauthorized && e.Category == sfapi.CodeInvalidSession}
	if e.Category == sfapi.CodeRequestLimit {
		// So that errors.Is(err, live.ErrRateLimited) holds although the
		// status is 403.
		v.Err = &LimitError{API: e}
	}
	return v
}

// notApplied reports answers after which Salesforce has not carried out
// the request, so any call may be retried: 429, and 403
// REQUEST_LIMIT_EXCEEDED unless it is the org's daily allocation (which a
// short wait does not cure).
func notApplied(e *live.APIError) bool {
	switch {
	case e.Status == http.StatusTooManyRequests:
		return true
	case e.Category == sfapi.CodeRequestLimit:
		return !strings.Contains(e.Message, sfapi.DailyLimitMessage)
	}
	return false
}

// LimitError is a 403 REQUEST_LIMIT_EXCEEDED answer: the org's daily
// allocation or its concurrent long-running request cap is used up. It
// wraps the *live.APIError and is live.ErrRateLimited.
type LimitError struct {
	API *live.APIError
}

func (e *LimitError) Error() string { return e.API.Error() }

// Unwrap returns the API error.
func (e *LimitError) Unwrap() error { return e.API }

// Is reports live.ErrRateLimited.
func (e *LimitError) Is(target error) bool { return target == live.ErrRateLimited }
