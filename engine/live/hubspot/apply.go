package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// Apply implements live.Provider: set-options PATCHes the full option
// list, create-property POSTs a single-select enumeration.
func (c *Client) Apply(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	return live.ApplyActions{Own: c.own, SetOptions: c.setOptions, CreateProperty: c.createProperty}.Apply(ctx, ch)
}

// setOptions re-reads the property, then PATCHes the full desired list
// unless live already has it (see live.SetOptions).
func (c *Client) setOptions(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	b := ch.Binding
	var cur *hsapi.Property
	return live.SetOptions(ctx, ch,
		func(ctx context.Context) (*live.Property, []live.Option, error) {
			var err error
			if cur, err = c.GetProperty(ctx, b.Object, b.Property); err != nil {
				return nil, nil, err
			}
			return c.toLive(b.Object, cur), ch.Options, nil
		},
		func(ctx context.Context) (*live.Property, error) {
			if cur.Type != "enumeration" {
				return nil, fmt.Errorf("it is a %s property, not an enumeration", cur.Type)
			}
			updated, err := c.UpdateOptions(ctx, b.Object, b.Property, toWireOptions(ch.Options))
			if err != nil {
				return nil, err
			}
			return c.toLive(b.Object, updated), nil
		})
}

// createProperty creates a single-select enumeration. If it exists already
// with the desired options (a re-run), that is success without change.
func (c *Client) createProperty(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	b := ch.Binding
	if ch.Label == "" {
		return nil, fmt.Errorf("apply create-property to %s: label is required", b)
	}
	group := ch.Group
	if group == "" {
		group = defaultGroup(b.Object)
	}
	if group == "" {
		return nil, fmt.Errorf("apply create-property to %s: no default property group for object type %q; set the group", b, b.Object)
	}
	created, err := c.CreateProperty(ctx, b.Object, hsapi.PropertyCreate{
		Name: b.Property, Label: ch.Label, Type: "enumeration", FieldType: "select",
		GroupName: group, Options: toWireOptions(ch.Options), FormField: true,
	})
	var apiErr *live.APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict {
		cur, gerr := c.GetProperty(ctx, b.Object, b.Property)
		if gerr == nil {
			lp := c.toLive(b.Object, cur)
			if live.SameOptions(lp.Options, ch.Options) {
				return &live.ApplyResult{Before: lp, After: lp, Changed: false}, nil
			}
		}
		return nil, fmt.Errorf("apply create-property to %s: exists with other options: %w", b, err)
	}
	if err != nil {
		return nil, fmt.Errorf("apply create-property to %s: %w", b, err)
	}
	after := c.toLive(b.Object, created)
	c.multi.Store(b, after.MultiValued)
	return &live.ApplyResult{After: after, Changed: true}, nil
}

// defaultGroup is the property group HubSpot puts an object's own
// information in.
func defaultGroup(objectType string) string {
	switch objectType {
	case "contacts":
		return "contactinformation"
	case "companies":
		return "companyinformation"
	case "deals":
		return "dealinformation"
	case "tickets":
		return "ticketinformation"
	}
	return ""
}
