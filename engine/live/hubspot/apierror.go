package hubspot

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/rest"
)

// decodeError reads HubSpot's error body into e (the call loop redacts
// it) and says whether the request was carried out: 429 rate limit, 423
// locked and 477 migration in progress mean it was not, so any call may be
// tried again, HubSpot asking for at least 2 s after a 423; a 429 for the
// DAILY policy is not worth waiting for. A 429 without Retry-After waits
// out the rolling window (a backoff shorter than the window only spends
// attempts), or a second for the per-second search limit.
func (c *Client) decodeError(_ rest.Call, resp *http.Response, data []byte, e *live.APIError) rest.Verdict {
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
		e.Message = rest.Fallback(resp.StatusCode, data)
	}
	if e.CorrelationID == "" {
		e.CorrelationID = resp.Header.Get(hsapi.HeaderCorrelationID)
	}
	v := rest.Verdict{NotApplied: notApplied(resp.StatusCode), Hopeless: e.PolicyName == hsapi.PolicyDaily}
	switch {
	case resp.StatusCode == http.StatusLocked:
		v.MinWait = 2 * time.Second
	case resp.StatusCode != http.StatusTooManyRequests || v.Hopeless || resp.Header.Get(hsapi.HeaderRetryAfter) != "":
	case e.PolicyName == hsapi.PolicySecondly:
		v.MinWait = time.Second
	default:
		v.MinWait = c.budget.windowLength()
	}
	return v
}

// notApplied reports statuses after which HubSpot has not carried out the
// request: 429 rate limit, 423 locked, 477 migration in progress.
func notApplied(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusLocked || status == 477
}
