package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// Read implements live.Provider. It lists the properties of each bound
// object type once (all of them, concurrently within the client's limits)
// and picks the bound ones, so its cost is one request per object type,
// plus one for subscription types when asked. Bindings with an empty
// System are taken as this client's; Snapshot keys carry the system name.
func (c *Client) Read(ctx context.Context, req live.ReadRequest) (*live.Snapshot, error) {
	var (
		defs    []hsapi.SubscriptionDefinition
		defsErr error
		wg      sync.WaitGroup
	)
	if req.SubscriptionTypes {
		wg.Go(func() { defs, defsErr = c.SubscriptionDefinitions(ctx) })
	}
	snap, err := live.ObjectReader[map[string]*hsapi.Property]{
		Own: c.own, Fetch: c.propertiesByName, Unknown: unknownObject, Pick: c.pick,
	}.Read(ctx, c.api.System, c.api.Clock.Now(), req.Bindings)
	wg.Wait()
	if defsErr != nil {
		err = errors.Join(err, fmt.Errorf("read subscription types: %w", defsErr))
	}
	if err != nil {
		return nil, err
	}
	if req.SubscriptionTypes {
		snap.SubscriptionTypes = make([]live.SubscriptionType, 0, len(defs))
		for _, d := range defs {
			snap.SubscriptionTypes = append(snap.SubscriptionTypes, live.SubscriptionType{
				ID: d.ID, Name: d.Name, Description: d.Description, Purpose: d.Purpose,
				Channel: d.CommunicationMethod, Active: d.IsActive, Default: d.IsDefault, Internal: d.IsInternal,
			})
		}
	}
	return snap, nil
}

// pick adds the bound property to the snapshot, or to Missing when the
// object type has none of that name or it is archived.
func (c *Client) pick(snap *live.Snapshot, b live.Binding, byName map[string]*hsapi.Property) {
	p, ok := byName[b.Property]
	if !ok || p.Archived {
		snap.Missing = append(snap.Missing, b)
		return
	}
	lp := c.toLive(b.Object, p)
	c.multi.Store(b, lp.MultiValued)
	snap.Properties[b] = lp
}

// propertiesByName lists an object type's properties, by name.
func (c *Client) propertiesByName(ctx context.Context, objectType string) (map[string]*hsapi.Property, error) {
	list, err := c.ListProperties(ctx, objectType)
	if err != nil {
		return nil, fmt.Errorf("read %s properties: %w", objectType, err)
	}
	byName := make(map[string]*hsapi.Property, len(list))
	for i := range list {
		byName[list[i].Name] = &list[i]
	}
	return byName, nil
}

// own normalises a binding to this client's system.
func (c *Client) own(b live.Binding) (live.Binding, error) { return b.In(c.api.System) }

// unknownObject reports HubSpot's answer for an object type it does not
// know: a HubSpot error body (not, say, an HTML 404 from a wrong base URL)
// with 404, or 400 "Unable to infer object type" (which of the two HubSpot
// sends is not documented; both are accepted).
func unknownObject(err error) bool {
	var e *live.APIError
	if !errors.As(err, &e) || e.Category == "" {
		return false
	}
	return e.Status == http.StatusNotFound ||
		(e.Status == http.StatusBadRequest && strings.Contains(e.Message, "Unable to infer object type"))
}
