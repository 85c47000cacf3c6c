package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/pacing"
)

// maxBody caps how much of a response the client reads.
const maxBody = 64 << 20

// call is one API call.
type call struct {
	method string
	path   string // escaped, without query
	query  url.Values
	body   any // JSON-encoded when non-nil
	out    any // JSON-decoded into on 2xx when non-nil
	// idempotent calls are retried on 5xx, timeouts and network errors.
	idempotent bool
	// search calls use the search limiter instead of the general one.
	search bool
}

func (c *Client) do(ctx context.Context, cl call) error {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("%s: %s %s: encode request: %w", c.system, cl.method, cl.path, err)
		}
	}
	return c.retry.Run(ctx, c.clock, func() outcome { return c.attempt(ctx, cl, payload) },
		func(next int, wait time.Duration, err error) {
			c.log.Info("hubspot: retrying", "method", cl.method, "path", cl.path, "attempt", next, "wait", wait, "error", err.Error())
		})
}

// outcome is one attempt's result. Wait < 0 means "use backoff".
type outcome = pacing.Outcome

func (c *Client) attempt(ctx context.Context, cl call, payload []byte) outcome {
	fail := func(err error) outcome {
		return outcome{Err: fmt.Errorf("%s: %s %s: %w", c.system, cl.method, cl.path, err), Wait: -1}
	}
	if err := c.acquire(ctx, cl.search); err != nil {
		return fail(err)
	}
	defer c.release()

	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	target := c.base.String() + cl.path
	if q := cl.query.Encode(); q != "" {
		target += "?" + q
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(actx, cl.method, target, body)
	if err != nil {
		return fail(fmt.Errorf("build request: %w", err))
	}
	req.Header.Set("Authorization", c.bearer())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "mops")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, actx, cl, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return c.transportError(ctx, actx, cl, fmt.Errorf("read response: %w", err))
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if cl.out != nil && len(data) > 0 {
			if err := json.Unmarshal(data, cl.out); err != nil {
				// The message may quote the body; redact it like any server text.
				return fail(fmt.Errorf("decode %d response: %s", resp.StatusCode, c.redact(err.Error())))
			}
		}
		return outcome{}
	}
	apiErr := c.apiError(cl, resp, data)
	o := outcome{Err: apiErr, Wait: -1}
	switch {
	case notApplied(resp.StatusCode):
		o.Retry = apiErr.PolicyName != hsapi.PolicyDaily
		if d, ok := pacing.RetryAfter(resp.Header.Get(hsapi.HeaderRetryAfter), c.clock.Now()); ok {
			if d > c.retry.MaxRetryAfter {
				o.Retry = false
				o.Err = fmt.Errorf("%w (server asks to wait %s, more than the %s the client waits)", apiErr, d, c.retry.MaxRetryAfter)
			}
			o.Wait = d
		}
		if resp.StatusCode == http.StatusLocked && o.Wait < 2*time.Second {
			o.Wait = 2 * time.Second
		}
	case pacing.Transient(resp.StatusCode):
		o.Retry = cl.idempotent
	}
	return o
}

// transportError classifies a failure to get a response.
func (c *Client) transportError(ctx, actx context.Context, cl call, err error) outcome {
	return pacing.TransportFailure(ctx, actx, fmt.Sprintf("%s: %s %s", c.system, cl.method, cl.path), c.timeout, cl.idempotent, c.redact, err)
}

func (c *Client) acquire(ctx context.Context, search bool) error {
	lim := c.general
	if search {
		lim = c.search
	}
	if lim != nil {
		if err := lim.Wait(ctx); err != nil {
			return fmt.Errorf("rate limiter: %w", err)
		}
	}
	if c.sem != nil {
		select {
		case c.sem <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("waiting for a free connection slot: %w", context.Cause(ctx))
		}
	}
	return nil
}

func (c *Client) release() {
	if c.sem != nil {
		<-c.sem
	}
}
