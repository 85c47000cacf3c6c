package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
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
	snap := &live.Snapshot{System: c.api.System, ReadAt: c.api.Clock.Now(), Properties: map[live.Binding]*live.Property{}}
	byObject := map[string][]live.Binding{}
	for _, b := range req.Bindings {
		b, err := c.own(b)
		if err != nil {
			return nil, err
		}
		byObject[b.Object] = append(byObject[b.Object], b)
	}
	objects := make([]string, 0, len(byObject))
	for o := range byObject {
		objects = append(objects, o)
	}
	slices.Sort(objects)

	var (
		wg    sync.WaitGroup
		lists = make([][]hsapi.Property, len(objects))
		errs  = make([]error, len(objects)+1)
		defs  []hsapi.SubscriptionDefinition
	)
	for i, o := range objects {
		wg.Go(func() { lists[i], errs[i] = c.ListProperties(ctx, o) })
	}
	if req.SubscriptionTypes {
		wg.Go(func() { defs, errs[len(objects)] = c.SubscriptionDefinitions(ctx) })
	}
	wg.Wait()

	var failed []error
	for i, o := range objects {
		err := errs[i]
		if unknownObject(err) {
			snap.UnknownObjects = append(snap.UnknownObjects, o)
			snap.Missing = append(snap.Missing, byObject[o]...)
			continue
		}
		if err != nil {
			failed = append(failed, fmt.Errorf("read %s properties: %w", o, err))
			continue
		}
		byName := make(map[string]*hsapi.Property, len(lists[i]))
		for j := range lists[i] {
			byName[lists[i][j].Name] = &lists[i][j]
		}
		for _, b := range byObject[o] {
			p, ok := byName[b.Property]
			if !ok || p.Archived {
				snap.Missing = append(snap.Missing, b)
				continue
			}
			lp := c.toLive(o, p)
			c.rememberMulti(o, p.Name, lp.MultiValued)
			snap.Properties[b] = lp
		}
	}
	if err := errs[len(objects)]; err != nil {
		failed = append(failed, fmt.Errorf("read subscription types: %w", err))
	}
	if len(failed) > 0 {
		return nil, errors.Join(failed...)
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
	live.SortBindings(snap.Missing)
	snap.Missing = slices.Compact(snap.Missing)
	return snap, nil
}

// own normalises a binding to this client's system.
func (c *Client) own(b live.Binding) (live.Binding, error) {
	if b.System == "" {
		b.System = c.api.System
	}
	if b.System != c.api.System {
		return b, fmt.Errorf("%s: binding %s belongs to another system", c.api.System, b)
	}
	if b.Object == "" || b.Property == "" {
		return b, fmt.Errorf("%s: binding %s: object and property are required", c.api.System, b)
	}
	return b, nil
}

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
