package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/rest"
)

var _ live.Checker = (*Client)(nil)

// grantScope says where a missing scope is added.
const grantScope = "add it to the service key (Development → Keys → Service keys → the key → Scopes) or, for an existing legacy private app, to the app (Development → Legacy apps → the app → Scopes); then put the key's current token in the token variable"

// lowDaily is the share of the daily allocation left below which the
// limit check warns.
const lowDaily = 0.1

// Check implements live.Checker: the token (HubSpot's token introspection
// names its account, app and scopes), each scope mops needs for the
// bound object types, and the daily requests left, from the rate-limit
// headers of a properties read.
func (c *Client) Check(ctx context.Context, req live.CheckRequest) ([]live.Check, error) {
	info, infoErr := c.tokenInfo(ctx)
	var ae *live.APIError
	switch {
	case infoErr != nil && errors.Is(infoErr, live.ErrUnauthorized):
		return []live.Check{{Kind: live.CheckAuth, Name: "access token", Status: live.CheckMissing, Detail: infoErr.Error(),
			Fix: "put a current service key (or private-app token) of this account in the token variable"}}, nil
	case infoErr != nil && !(errors.As(infoErr, &ae) && ae.Status >= 400 && ae.Status < 500):
		return nil, infoErr
	}
	needed, err := c.neededScopes(req)
	if err != nil {
		return nil, err
	}
	var checks []live.Check
	if info == nil {
		checks = append(checks, live.Check{Kind: live.CheckScope, Name: "scopes", Status: live.CheckWarn,
			Detail: "HubSpot did not list the token's scopes: " + infoErr.Error(),
			Fix:    "check that the key has these scopes: " + strings.Join(needed, ", ")})
	} else {
		checks = append(checks, live.Check{Kind: live.CheckAuth, Name: "access token", Status: live.CheckOK,
			Detail: fmt.Sprintf("account %d, app %d", info.HubID, info.AppID)})
		for _, s := range needed {
			ck := live.Check{Kind: live.CheckScope, Name: s, Status: live.CheckOK}
			if !slices.Contains(info.Scopes, s) {
				ck.Status, ck.Fix = live.CheckMissing, grantScope
			}
			checks = append(checks, ck)
		}
	}
	limit, err := c.checkDaily(ctx, req.Bindings)
	if err != nil {
		return nil, err
	}
	if limit != nil {
		checks = append(checks, *limit)
	}
	return checks, nil
}

// neededScopes lists, in order, the scopes mops needs for the bound
// object types: read and write property definitions and records, and
// communication_preferences.read when consent policies name subscription
// types.
func (c *Client) neededScopes(req live.CheckRequest) ([]string, error) {
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, b := range req.Bindings {
		b, err := c.own(b)
		if err != nil {
			return nil, err
		}
		for _, a := range []hsapi.Access{hsapi.ReadSchema, hsapi.WriteSchema, hsapi.ReadRecords, hsapi.WriteRecords} {
			add(hsapi.Scope(b.Object, a))
		}
	}
	if req.Subscriptions {
		add(hsapi.ScopeCommunicationPreferencesRead)
	}
	return out, nil
}

// checkDaily reads the daily allocation from the rate-limit headers of a
// properties list of the first bound object type; nil when HubSpot sends
// none (it sends them for private apps and service keys).
func (c *Client) checkDaily(ctx context.Context, bindings []live.Binding) (*live.Check, error) {
	objectType := "contacts"
	if len(bindings) > 0 {
		objectType = bindings[0].Object
	}
	var h http.Header
	var out hsapi.PropertyList
	err := c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: fmt.Sprintf(c.paths.Properties, url.PathEscape(objectType)),
		Out: &out, Idempotent: true, Header: &h})
	if err != nil && !errors.Is(err, live.ErrUnauthorized) && !errors.Is(err, live.ErrNotFound) {
		return nil, err
	}
	limit, err1 := strconv.Atoi(h.Get(hsapi.HeaderDailyLimit))
	left, err2 := strconv.Atoi(h.Get(hsapi.HeaderDailyRemaining))
	if err1 != nil || err2 != nil || limit <= 0 {
		return nil, nil
	}
	ck := &live.Check{Kind: live.CheckLimit, Name: "daily requests", Status: live.CheckOK,
		Detail: fmt.Sprintf("%d of %d requests left today", left, limit)}
	if float64(left) < lowDaily*float64(limit) {
		ck.Status = live.CheckWarn
		ck.Fix = "wait for the daily limit to reset at midnight in the account's time zone, or buy the API limit increase"
	}
	return ck, nil
}
