package hubspot

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// apiError turns an error answer into a *live.APIError, redacting the
// token from everything the server sent.
func (c *Client) apiError(cl call, resp *http.Response, data []byte) *live.APIError {
	e := &live.APIError{System: c.system, Method: cl.method, Path: cl.path, Status: resp.StatusCode}
	var body hsapi.Error
	if json.Unmarshal(data, &body) == nil && (body.Message != "" || body.Category != "") {
		e.Category = body.Category
		if e.Category == "" && body.ErrorType != "" {
			e.Category = body.ErrorType
		}
		e.SubCategory = body.SubCategory
		e.Message = body.Message
		e.CorrelationID = body.CorrelationID
		e.PolicyName = body.PolicyName
		for _, d := range body.Errors {
			if d.Message != "" && d.Message != body.Message {
				e.Details = append(e.Details, d.Message)
			}
		}
	} else {
		e.Message = snippet(data)
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
	}
	if e.CorrelationID == "" {
		e.CorrelationID = resp.Header.Get(hsapi.HeaderCorrelationID)
	}
	e.Message = c.redact(e.Message)
	e.SubCategory = c.redact(e.SubCategory)
	e.CorrelationID = c.redact(e.CorrelationID)
	for i := range e.Details {
		e.Details[i] = c.redact(e.Details[i])
	}
	return e
}

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
