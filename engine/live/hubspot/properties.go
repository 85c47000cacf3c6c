package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// ListProperties returns every (unarchived) property of an object type in
// one call; the endpoint is not paged.
func (c *Client) ListProperties(ctx context.Context, objectType string) ([]hsapi.Property, error) {
	var out hsapi.PropertyList
	err := c.do(ctx, call{
		method:     http.MethodGet,
		path:       fmt.Sprintf(hsapi.PathProperties, url.PathEscape(objectType)),
		query:      url.Values{"archived": {"false"}},
		out:        &out,
		idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return out.Results, nil
}

// GetProperty returns one property.
func (c *Client) GetProperty(ctx context.Context, objectType, name string) (*hsapi.Property, error) {
	var out hsapi.Property
	err := c.do(ctx, call{
		method:     http.MethodGet,
		path:       fmt.Sprintf(hsapi.PathProperty, url.PathEscape(objectType), url.PathEscape(name)),
		out:        &out,
		idempotent: true,
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
	err := c.do(ctx, call{
		method: http.MethodPatch,
		path:   fmt.Sprintf(hsapi.PathProperty, url.PathEscape(objectType), url.PathEscape(name)),
		body:   hsapi.PropertyOptionsUpdate{Options: options},
		out:    &out,
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
	err := c.do(ctx, call{
		method: http.MethodPost,
		path:   fmt.Sprintf(hsapi.PathProperties, url.PathEscape(objectType)),
		body:   p,
		out:    &out,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// SubscriptionDefinitions lists the account's subscription types.
func (c *Client) SubscriptionDefinitions(ctx context.Context) ([]hsapi.SubscriptionDefinition, error) {
	var out hsapi.SubscriptionDefinitions
	err := c.do(ctx, call{
		method:     http.MethodGet,
		path:       hsapi.PathSubscriptionDef,
		out:        &out,
		idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return out.SubscriptionDefinitions, nil
}
