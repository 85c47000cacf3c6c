package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/rest"
)

// ListProperties returns every (unarchived) property of an object type in
// one call; the endpoint is not paged.
func (c *Client) ListProperties(ctx context.Context, objectType string) ([]hsapi.Property, error) {
	var out hsapi.PropertyList
	err := c.api.Do(ctx, rest.Call{
		Method:     http.MethodGet,
		Path:       fmt.Sprintf(c.paths.Properties, url.PathEscape(objectType)),
		Query:      url.Values{"archived": {"false"}},
		Out:        &out,
		Idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return out.Results, nil
}

// ListEnumerations implements live.Lister: the unarchived enumeration
// properties of an object type, leaving out single checkboxes (booleans).
func (c *Client) ListEnumerations(ctx context.Context, objectType string) ([]string, error) {
	props, err := c.ListProperties(ctx, objectType)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range props {
		if p.Type == "enumeration" && !p.Archived && p.FieldType != "booleancheckbox" {
			names = append(names, p.Name)
		}
	}
	return names, nil
}

// GetProperty returns one property.
func (c *Client) GetProperty(ctx context.Context, objectType, name string) (*hsapi.Property, error) {
	var out hsapi.Property
	err := c.api.Do(ctx, rest.Call{
		Method:     http.MethodGet,
		Path:       fmt.Sprintf(c.paths.Property, url.PathEscape(objectType), url.PathEscape(name)),
		Out:        &out,
		Idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateOptions replaces a property's options with the given list; HubSpot
// cannot add or remove a single option, so options must be complete.
func (c *Client) UpdateOptions(ctx context.Context, objectType, name string, options []hsapi.Option) (*hsapi.Property, error) {
	if options == nil {
		options = []hsapi.Option{}
	}
	var out hsapi.Property
	err := c.api.Do(ctx, rest.Call{
		Method: http.MethodPatch,
		Path:   fmt.Sprintf(c.paths.Property, url.PathEscape(objectType), url.PathEscape(name)),
		Body:   hsapi.PropertyOptionsUpdate{Options: options},
		Out:    &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateProperty creates a property.
func (c *Client) CreateProperty(ctx context.Context, objectType string, p hsapi.PropertyCreate) (*hsapi.Property, error) {
	if p.Options == nil {
		p.Options = []hsapi.Option{}
	}
	var out hsapi.Property
	err := c.api.Do(ctx, rest.Call{
		Method: http.MethodPost,
		Path:   fmt.Sprintf(c.paths.Properties, url.PathEscape(objectType)),
		Body:   p,
		Out:    &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// SubscriptionDefinitions lists the account's subscription types. The
// date-based versions answer them in results, v3 in
// subscriptionDefinitions.
func (c *Client) SubscriptionDefinitions(ctx context.Context) ([]hsapi.SubscriptionDefinition, error) {
	call := rest.Call{Method: http.MethodGet, Path: c.paths.SubscriptionDefs, Idempotent: true}
	if hsapi.Dated(c.version) {
		var out hsapi.DatedSubscriptionDefinitions
		call.Out = &out
		if err := c.api.Do(ctx, call); err != nil {
			return nil, err
		}
		return out.Results, nil
	}
	var out hsapi.SubscriptionDefinitions
	call.Out = &out
	if err := c.api.Do(ctx, call); err != nil {
		return nil, err
	}
	return out.SubscriptionDefinitions, nil
}
