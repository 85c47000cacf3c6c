package salesforce

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// apiError turns an error answer into a *live.APIError: Category is the
// first errorCode, Message its message, Details the other entries and the
// fields named. The token is redacted from everything the server sent.
func (c *Client) apiError(cl call, status int, data []byte) *live.APIError {
	e := &live.APIError{System: c.system, Method: cl.method, Path: cl.path, Status: status}
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
		e.Message = snippet(data)
		if e.Message == "" {
			e.Message = http.StatusText(status)
		}
	}
	e.Category = c.redact(e.Category)
	e.Message = c.redact(e.Message)
	for i := range e.Details {
		e.Details[i] = c.redact(e.Details[i])
	}
	return e
}

// wrapAPIError returns e, or for REQUEST_LIMIT_EXCEEDED a *LimitError so
// that errors.Is(err, live.ErrRateLimited) holds although the status is
// 403 (live.APIError maps only 429 onto it).
func wrapAPIError(e *live.APIError) error {
	if e.Category == sfapi.CodeRequestLimit {
		return &LimitError{API: e}
	}
	return e
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

// snippet is the start of a non-JSON body, on one line.
func snippet(data []byte) string {
	const n = 200
	s := strings.Join(strings.Fields(string(data)), " ")
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}
