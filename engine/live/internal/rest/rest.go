package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

// maxBody caps how much of an answer a client reads.
const maxBody = 64 << 20

// Call is one API call.
type Call struct {
	Method string
	// Path is escaped and without query, from the host on.
	Path  string
	Query url.Values
	// Body is JSON-encoded when non-nil; a Raw is sent as it is, with
	// its content type (a form, a CSV upload).
	Body any
	// Out is JSON-decoded into from a 2xx answer when non-nil; a *Raw
	// gets the answer's bytes as they are, and its ContentType is sent as
	// Accept.
	Out any
	// Idempotent calls are retried after 5xx answers, timeouts and lost
	// connections; others only when the server says it did not act.
	Idempotent bool
	// Limiter paces this call instead of the client's Limiter (HubSpot's
	// search has a limit of its own).
	Limiter *rate.Limiter
	// Header, when set, gets the headers of the answer (of the last
	// attempt).
	Header *http.Header
}

// String is "METHOD path", as errors name the call.
func (cl Call) String() string { return cl.Method + " " + cl.Path }

// Verdict is what a vendor makes of an error answer.
type Verdict struct {
	// Err is the error the call fails with: nil for the *live.APIError
	// the vendor filled in, or an error wrapping it.
	Err error
	// NotApplied says the server refused the request without acting on
	// it (a rate limit, a lock), so any call, idempotent or not, may be
	// tried again, after the Retry-After the server sent.
	NotApplied bool
	// Hopeless says waiting cannot help (a daily allocation is used up).
	Hopeless bool
	// MinWait is the least wait before another try (HubSpot: 2 s after
	// 423 Locked).
	MinWait time.Duration
	// Expired says the server refused the credentials as expired or
	// invalid (Salesforce: 401 INVALID_SESSION_ID). With Client.Renew set,
	// the call is sent once more with renewed credentials.
	Expired bool
}

// Raw is a body sent, or an answer read, as bytes of a content type
// rather than JSON.
type Raw struct {
	ContentType string
	Data        []byte
}

// Client sends calls to one vendor's API. Its fields are set once, by the
// vendor client's constructor; it is safe for concurrent use.
type Client struct {
	// Vendor ("hubspot") starts log messages; System (the Project's name
	// for the system) starts every error.
	Vendor, System string
	Base           *url.URL
	HTTP           *http.Client
	// Authorize sets a request's credentials (see BearerToken).
	Authorize func(*http.Request)
	// Renew, when set, renews the credentials after an answer the vendor
	// reads as Expired; the call is then sent once more, and fails if the
	// renewed credentials are refused too. refused is the Authorization
	// header the refused request carried, so that calls refused together
	// renew once.
	Renew func(ctx context.Context, refused string) error
	// Redact removes credentials from any text the server sends back.
	Redact func(string) string
	// Limiter paces calls (nil: off); Slots caps calls in flight (nil:
	// off).
	Limiter *rate.Limiter
	Slots   chan struct{}
	Retry   pacing.RetryPolicy
	// Timeout bounds each attempt.
	Timeout time.Duration
	Clock   pacing.Clock
	// Log gets one Info record per retry: method, path, attempt, wait
	// and error, never headers.
	Log *slog.Logger
	// Observe, when set, sees the headers of every answer.
	Observe func(Call, http.Header)
	// Gate, when set, waits before each attempt, after the limiter and a
	// slot, until the vendor's own reading of its budget lets the call go
	// (HubSpot's rate-limit headers); an error stops the call.
	Gate func(ctx context.Context, cl Call) error
	// Decode reads an error answer (any status outside 2xx) into e, which
	// comes with System, Method, Path and Status set, and says what it
	// means. When the body is not the vendor's error shape, Fallback
	// gives the message. Every text field of e is redacted afterwards.
	Decode func(cl Call, resp *http.Response, body []byte, e *live.APIError) Verdict
}

// Do sends cl, retrying as the policy allows, and decodes a 2xx answer
// into cl.Out.
func (c *Client) Do(ctx context.Context, cl Call) error {
	payload, contentType, err := encode(cl.Body)
	if err != nil {
		return fmt.Errorf("%s: %s: encode request: %w", c.System, cl, err)
	}
	renewed := false
	return c.Retry.Run(ctx, c.Clock, func() pacing.Outcome {
		o, expired, sent := c.attempt(ctx, cl, payload, contentType)
		if !expired || c.Renew == nil || renewed {
			return o
		}
		// A 401 means the server did not act, so any call may be sent
		// again; once per call, so that refused renewed credentials fail.
		renewed = true
		if err := c.Renew(ctx, sent); err != nil {
			return pacing.Outcome{Err: fmt.Errorf("%s: %s: renew credentials: %w", c.System, cl, err), Wait: -1}
		}
		o, _, _ = c.attempt(ctx, cl, payload, contentType)
		return o
	},
		func(next int, wait time.Duration, err error) {
			c.Log.Info(c.Vendor+": retrying", "system", c.System, "method", cl.Method, "path", cl.Path,
				"attempt", next, "wait", wait, "error", err.Error())
		})
}

// encode turns a call's body into bytes and their content type.
func encode(body any) ([]byte, string, error) {
	switch b := body.(type) {
	case nil:
		return nil, "", nil
	case Raw:
		return b.Data, b.ContentType, nil
	}
	data, err := json.Marshal(body)
	return data, "application/json", err
}

// attempt sends cl once. expired says the vendor read the answer as
// expired credentials; sent is the Authorization header the request
// carried.
func (c *Client) attempt(ctx context.Context, cl Call, payload []byte, contentType string) (o pacing.Outcome, expired bool, sent string) {
	fail := func(err error) (pacing.Outcome, bool, string) {
		return pacing.Outcome{Err: fmt.Errorf("%s: %s: %w", c.System, cl, err), Wait: -1}, false, sent
	}
	if err := c.acquire(ctx, cl); err != nil {
		return fail(err)
	}
	defer c.release()
	if c.Gate != nil { // last, so that what it counts goes out at once
		if err := c.Gate(ctx, cl); err != nil {
			return fail(err)
		}
	}

	actx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	target := c.Base.String() + cl.Path
	if q := cl.Query.Encode(); q != "" {
		target += "?" + q
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(actx, cl.Method, target, body)
	if err != nil {
		return fail(fmt.Errorf("build request: %s", c.Redact(err.Error())))
	}
	c.Authorize(req)
	sent = req.Header.Get("Authorization")
	raw, isRaw := cl.Out.(*Raw)
	if isRaw {
		req.Header.Set("Accept", raw.ContentType)
	} else {
		req.Header.Set("Accept", "application/json")
	}
	req.Header.Set("User-Agent", "mops")
	if payload != nil {
		req.Header.Set("Content-Type", contentType)
	}

	resp, err := c.HTTP.Do(req)
	if errors.Is(err, ErrRedirect) {
		return fail(errors.Unwrap(err)) // the *url.Error around it repeats the URL
	}
	if err != nil {
		return c.transportFailure(ctx, actx, cl, err), false, sent
	}
	defer resp.Body.Close()
	if c.Observe != nil {
		c.Observe(cl, resp.Header)
	}
	if cl.Header != nil {
		*cl.Header = resp.Header
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return c.transportFailure(ctx, actx, cl, fmt.Errorf("read response: %w", err)), false, sent
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		switch {
		case isRaw:
			raw.Data = data
		case cl.Out != nil && len(data) > 0:
			if err := json.Unmarshal(data, cl.Out); err != nil {
				// The message may quote the body; redact it like any server text.
				return fail(fmt.Errorf("decode %d response: %s", resp.StatusCode, c.Redact(err.Error())))
			}
		}
		return pacing.Outcome{}, false, sent
	}
	o, expired = c.refused(cl, resp, data)
	return o, expired, sent
}

// refused classifies an error answer: whether to try again, after how
// long, and whether the credentials expired.
func (c *Client) refused(cl Call, resp *http.Response, data []byte) (pacing.Outcome, bool) {
	e := &live.APIError{System: c.System, Method: cl.Method, Path: cl.Path, Status: resp.StatusCode}
	v := c.Decode(cl, resp, data, e)
	c.redactAPIError(e)
	if v.Err == nil {
		v.Err = e
	}
	o := pacing.Outcome{Err: v.Err, Wait: -1}
	wait, asked := pacing.RetryAfter(resp.Header.Get("Retry-After"), c.Clock.Now())
	switch {
	case v.NotApplied:
		o.Retry = !v.Hopeless
		if asked {
			if wait > c.Retry.MaxRetryAfter {
				o.Retry = false
				o.Err = fmt.Errorf("%w (server asks to wait %s, more than the %s the client waits)", v.Err, wait, c.Retry.MaxRetryAfter)
			}
			o.Wait = wait
		}
		if o.Wait < v.MinWait {
			o.Wait = v.MinWait
		}
	case pacing.Transient(resp.StatusCode):
		o.Retry = cl.Idempotent
		if asked && wait <= c.Retry.MaxRetryAfter {
			o.Wait = wait
		}
	}
	return o, v.Expired
}

// redactAPIError removes credentials from every text the server sent.
func (c *Client) redactAPIError(e *live.APIError) {
	for _, s := range []*string{&e.Category, &e.SubCategory, &e.Message, &e.CorrelationID, &e.PolicyName} {
		*s = c.Redact(*s)
	}
	for i := range e.Details {
		e.Details[i] = c.Redact(e.Details[i])
	}
}

// transportFailure classifies a call that got no answer.
func (c *Client) transportFailure(ctx, actx context.Context, cl Call, err error) pacing.Outcome {
	return pacing.TransportFailure(ctx, actx, c.System+": "+cl.String(), c.Timeout, cl.Idempotent, c.Redact, err)
}

// acquire waits for the call's limiter and a free slot.
func (c *Client) acquire(ctx context.Context, cl Call) error {
	lim := c.Limiter
	if cl.Limiter != nil {
		lim = cl.Limiter
	}
	if lim != nil {
		if err := lim.Wait(ctx); err != nil {
			return fmt.Errorf("rate limiter: %w", err)
		}
	}
	if c.Slots != nil {
		select {
		case c.Slots <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("waiting for a free connection slot: %w", context.Cause(ctx))
		}
	}
	return nil
}

func (c *Client) release() {
	if c.Slots != nil {
		<-c.Slots
	}
}

// Fallback is the message of an error answer whose body is not the
// vendor's error shape: the start of the body on one line, or the
// status text when the body is empty.
func Fallback(status int, body []byte) string {
	const n = 200
	s := strings.Join(strings.Fields(string(body)), " ")
	if s == "" {
		return http.StatusText(status)
	}
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// Slots returns a cap of n calls in flight for Client.Slots, nil (off)
// when n is not positive.
func Slots(n int) chan struct{} {
	if n <= 0 {
		return nil
	}
	return make(chan struct{}, n)
}

// Defaults fills what the vendor's options left unset: a plain
// http.Client, the real clock, a logger that discards, and at least one
// attempt. Whatever http.Client the options gave, the client uses a copy
// that follows redirects only within the base URL's origin (sameOrigin).
func (c *Client) Defaults() {
	h := http.Client{}
	if c.HTTP != nil {
		h = *c.HTTP
	}
	h.CheckRedirect = sameOrigin
	c.HTTP = &h
	if c.Clock == nil {
		c.Clock = pacing.RealClock{}
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	c.Retry.MaxAttempts = max(1, c.Retry.MaxAttempts)
}
