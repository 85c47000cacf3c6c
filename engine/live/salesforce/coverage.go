package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mops-dev/mops/engine/live"
)

// Converted Leads: SOQL returns them, but Salesforce refuses to update
// them (CANNOT_UPDATE_CONVERTED_LEAD) unless the running user has the
// "View and Edit Converted Leads" permission (Salesforce Help, "Let Users
// View and Edit Converted Leads":
// https://help.salesforce.com/s/articleView?id=sales.leads_view_edit_converted.htm;
// Knowledge Article 000384333 filters them with IsConverted). So counts
// and migrations of Lead cover the unconverted ones, and Coverage counts
// the converted ones apart: they keep their value.
const (
	// convertedObject is the object whose converted records are kept.
	convertedObject = "Lead"
	unconverted     = "IsConverted = false"
	converted       = "IsConverted = true"
)

// movable is the condition that picks the records of object a count or
// migration covers: Lead's unconverted ones; "" for every record.
func movable(object string) string {
	if object == convertedObject {
		return unconverted
	}
	return ""
}

// access is what the integration user may do that decides what counts
// and migrations cover.
type access struct {
	// viewAllData: queries see every record whatever the sharing rules.
	viewAllData bool
	// editConverted: "View and Edit Converted Leads".
	editConverted bool
	// unknown, when set, says why the org would not tell.
	unknown string
}

// access reads the running user's access once per client. An org that
// refuses the query (an edition without one of the fields) is taken as
// granting neither, and says so.
func (c *Client) access(ctx context.Context) (access, error) {
	if a, ok := c.acc.Load(struct{}{}); ok {
		return a, nil
	}
	var a access
	has, err := c.userPermissions(ctx, "ViewAllData", "ViewEditConvertedLeads")
	var apiErr *live.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest:
		a.unknown = fmt.Sprintf("UserPermissionAccess: %s", apiErr.Message)
	case err != nil:
		return a, err
	default:
		a.viewAllData, a.editConverted = has["ViewAllData"], has["ViewEditConvertedLeads"]
	}
	c.acc.Store(struct{}{}, a)
	return a, nil
}

// userPermissions reads whether the running user holds each of the named
// system permissions, from UserPermissionAccess (its effective
// permissions: profile, permission sets and groups together; readable
// without View Setup), which names them Permissions + name.
func (c *Client) userPermissions(ctx context.Context, names ...string) (map[string]bool, error) {
	fields := make([]string, len(names))
	for i, n := range names {
		fields[i] = "Permissions" + n
	}
	page, err := c.Query(ctx, "SELECT "+strings.Join(fields, ", ")+" FROM UserPermissionAccess")
	if err != nil {
		return nil, fmt.Errorf("%s: read the user's permissions: %w", c.api.System, err)
	}
	if len(page.Records) != 1 {
		return nil, fmt.Errorf("%s: read the user's permissions: %d rows, want 1", c.api.System, len(page.Records))
	}
	var row map[string]any
	if err := json.Unmarshal(page.Records[0], &row); err != nil {
		return nil, fmt.Errorf("%s: read the user's permissions: %w", c.api.System, err)
	}
	has := make(map[string]bool, len(names))
	for i, n := range names {
		has[n], _ = row[fields[i]].(bool)
	}
	return has, nil
}

// Coverage implements live.Provider. On Lead, it counts the converted
// leads holding each value, which a migration leaves as they are unless
// it includes them (which needs "View and Edit Converted Leads"). On
// every object, counts cover only the records the integration user can
// see: without View All Data, records shared away from it are neither
// counted nor migrated.
func (c *Client) Coverage(ctx context.Context, b live.Binding, values []string) (live.Coverage, error) {
	var cov live.Coverage
	b, err := c.own(b)
	if err != nil {
		return cov, err
	}
	acc, err := c.access(ctx)
	if err != nil {
		return cov, err
	}
	switch {
	case acc.unknown != "":
		cov.Hidden = fmt.Sprintf("counts of %s may leave out records the integration user cannot see: mops could not read its permissions (%s)", b.Object, acc.unknown)
	case !acc.viewAllData:
		cov.Hidden = fmt.Sprintf("counts of %s cover only the records the integration user can see: it lacks View All Data, so records shared away from it are neither counted nor migrated and keep their values", b.Object)
	}
	if b.Object != convertedObject || len(values) == 0 {
		return cov, nil
	}
	kept, err := c.count(ctx, b, values, converted)
	if err != nil {
		return cov, err
	}
	for v, n := range kept {
		if n > 0 {
			if cov.Kept == nil {
				cov.Kept = map[string]int{}
			}
			cov.Kept[v] = n
		}
	}
	cov.KeptWhat = "converted lead(s)"
	cov.KeptWhy = "Salesforce refuses to update a converted lead (CANNOT_UPDATE_CONVERTED_LEAD) unless the integration user has the View and Edit Converted Leads permission"
	cov.Includable = acc.editConverted
	return cov, nil
}
