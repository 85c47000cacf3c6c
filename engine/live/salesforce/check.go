package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/rest"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

var _ live.Checker = (*Client)(nil)

// permission is a system permission mops needs, as UserPermissionAccess
// names it (Permissions + Field) and as Setup labels it.
type permission struct {
	Field, Label, Why string
	// Or names another permission that serves instead.
	Or string
}

// permissions are the system permissions the integration user needs.
var permissions = []permission{
	{Field: "ApiEnabled", Label: "API Enabled", Why: "every call mops makes"},
	{Field: "ViewSetup", Label: "View Setup and Configuration", Why: "describe and Tooling reads of picklist fields and value sets"},
	{Field: "ViewAllData", Label: "View All Data", Why: "counting and migrating every record, whoever owns it"},
	{Field: "ModifyMetadata", Label: "Modify Metadata Through Metadata API Functions", Why: "Tooling writes of picklist values", Or: "CustomizeApplication"},
}

// labels of the permissions an Or names.
var orLabels = map[string]string{"CustomizeApplication": "Customize Application"}

// Check implements live.Checker: the token's user (GET
// /services/oauth2/userinfo), the system permissions mops needs
// (UserPermissionAccess, the running user's effective permissions), edit
// access to each bound field (describe's updateable, which applies the
// user's field-level security), and the org's daily API requests left
// (GET /limits).
func (c *Client) Check(ctx context.Context, req live.CheckRequest) ([]live.Check, error) {
	var info sfapi.UserInfo
	err := c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: sfapi.PathUserInfo, Out: &info, Idempotent: true})
	if errors.Is(err, live.ErrUnauthorized) {
		return []live.Check{{Kind: live.CheckAuth, Name: "access token", Status: live.CheckMissing, Detail: err.Error(),
			Fix: "check the External Client App's consumer key and secret (or certificate), that its OAuth policies pre-authorize the user, and that the token variable holds a current token"}}, nil
	}
	if err != nil {
		return nil, err
	}
	checks := []live.Check{{Kind: live.CheckAuth, Name: "access token", Status: live.CheckOK,
		Detail: fmt.Sprintf("user %s (%s), org %s", info.PreferredUsername, info.UserID, info.OrganizationID)}}
	perms, err := c.checkPermissions(ctx)
	if err != nil {
		return nil, err
	}
	checks = append(checks, perms...)
	fields, err := c.checkFields(ctx, req.Bindings)
	if err != nil {
		return nil, err
	}
	checks = append(checks, fields...)
	limit, err := c.checkLimit(ctx)
	if err != nil {
		return nil, err
	}
	return append(checks, limit), nil
}

// checkPermissions reads the running user's effective system permissions
// from UserPermissionAccess (profile, permission sets and groups
// together; readable without View Setup).
func (c *Client) checkPermissions(ctx context.Context) ([]live.Check, error) {
	var names []string
	for _, p := range permissions {
		names = append(names, p.Field)
		if p.Or != "" {
			names = append(names, p.Or)
		}
	}
	has, err := c.userPermissions(ctx, names...)
	if err != nil {
		return nil, err
	}
	var out []live.Check
	for _, p := range permissions {
		ck := live.Check{Kind: live.CheckPermission, Name: p.Label, Status: live.CheckOK, Detail: "for " + p.Why}
		switch {
		case has[p.Field]:
		case p.Or != "" && has[p.Or]:
			ck.Name = orLabels[p.Or]
		default:
			ck.Status = live.CheckMissing
			ck.Fix = fmt.Sprintf("Setup → Permission Sets → the integration user's permission set → System Permissions → enable %q", p.Label)
			if p.Or != "" {
				ck.Fix += fmt.Sprintf(" (or %q)", orLabels[p.Or])
			}
		}
		out = append(out, ck)
	}
	return out, nil
}

// checkFields describes each bound object once and checks that each bound
// field exists and that the user may edit it.
func (c *Client) checkFields(ctx context.Context, bindings []live.Binding) ([]live.Check, error) {
	described := map[string]*sfapi.SObjectDescribe{}
	var out []live.Check
	for _, b := range bindings {
		b, err := c.own(b)
		if err != nil {
			return nil, err
		}
		name := b.Object + "." + b.Property
		d, ok := described[b.Object]
		if !ok {
			d, err = c.Describe(ctx, b.Object)
			if err != nil && !unknownObject(err) {
				return nil, err
			}
			described[b.Object] = d
		}
		ck := live.Check{Kind: live.CheckField, Name: name, Status: live.CheckOK, Detail: "editable"}
		var f *sfapi.Field
		if d != nil {
			f, _ = d.Field(b.Property)
		}
		switch {
		case d == nil:
			ck.Status, ck.Detail = live.CheckMissing, "no object "+b.Object+" (or the user cannot see it)"
			ck.Fix = "check the binding's object name, and give the user's permission set Read and Edit on " + b.Object
		case f == nil:
			ck.Status, ck.Detail = live.CheckWarn, "no such field, or the user cannot see it (mops plan creates a missing custom field)"
			ck.Fix = fmt.Sprintf("if the field exists: Setup → Object Manager → %s → Fields & Relationships → %s → Set Field-Level Security → Visible and editable for the integration user's profile or permission set", b.Object, b.Property)
		case !f.Updateable:
			ck.Status, ck.Detail = live.CheckMissing, "visible but read-only for this user"
			ck.Fix = fmt.Sprintf("Setup → Object Manager → %s → Fields & Relationships → %s → Set Field-Level Security → clear Read-Only for the integration user's profile or permission set", b.Object, b.Property)
		}
		out = append(out, ck)
	}
	return out, nil
}

// lowAllocation is the share of the daily allocation left below which
// the limit check warns.
const lowAllocation = 0.1

// checkLimit reports the org's daily API requests left.
func (c *Client) checkLimit(ctx context.Context) (live.Check, error) {
	limits, err := c.OrgLimits(ctx)
	if err != nil {
		return live.Check{}, err
	}
	l, ok := limits[sfapi.LimitDailyAPIRequests]
	ck := live.Check{Kind: live.CheckLimit, Name: sfapi.LimitDailyAPIRequests, Status: live.CheckOK}
	switch {
	case !ok || l.Max <= 0:
		ck.Status, ck.Detail = live.CheckWarn, "the org reports no daily API allocation"
	default:
		ck.Detail = fmt.Sprintf("%d of %d requests left in the rolling 24 hours", l.Remaining, l.Max)
		if float64(l.Remaining) < lowAllocation*float64(l.Max) {
			ck.Status = live.CheckWarn
			ck.Fix = "wait for the rolling window to free requests, or raise the allocation (Setup → Company Information shows it)"
		}
	}
	return ck, nil
}
