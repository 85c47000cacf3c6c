package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Read implements live.Provider. It describes each bound object once
// (concurrently, within the client's limits), then reads the values of
// each bound picklist from its Tooling record: the first read of a field
// finds the record (one Tooling query, two for a custom field on a custom
// object or bound to a global value set), later reads GET it by its
// cached Id. Bindings with an empty System are taken as this client's;
// Snapshot keys carry the system name.
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

	describes := make([]*sfapi.SObjectDescribe, len(objects))
	errs := make([]error, len(objects))
	var wg sync.WaitGroup
	for i, o := range objects {
		wg.Go(func() { describes[i], errs[i] = c.Describe(ctx, o) })
	}
	wg.Wait()

	type job struct {
		b live.Binding
		f *sfapi.Field
	}
	var jobs []job
	var failed []error
	for i, o := range objects {
		switch err := errs[i]; {
		case unknownObject(err):
			snap.UnknownObjects = append(snap.UnknownObjects, o)
			snap.Missing = append(snap.Missing, byObject[o]...)
			continue
		case err != nil:
			failed = append(failed, fmt.Errorf("describe %s: %w", o, err))
			continue
		}
		for _, b := range byObject[o] {
			f, ok := describes[i].Field(b.Property)
			if !ok {
				snap.Missing = append(snap.Missing, b)
				continue
			}
			jobs = append(jobs, job{b, f})
		}
	}
	if len(failed) > 0 {
		return nil, errors.Join(failed...)
	}

	props := make([]*live.Property, len(jobs))
	perrs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Go(func() { props[i], perrs[i] = c.property(ctx, j.b.Object, j.f) })
	}
	wg.Wait()
	for i, j := range jobs {
		if perrs[i] != nil {
			failed = append(failed, fmt.Errorf("read %s: %w", j.b, perrs[i]))
			continue
		}
		snap.Properties[j.b] = props[i]
	}
	if len(failed) > 0 {
		return nil, errors.Join(failed...)
	}
	live.SortBindings(snap.Missing)
	snap.Missing = slices.Compact(snap.Missing)
	return snap, nil
}

// property reads one field's values (none for a field that is not a
// picklist) and converts it.
func (c *Client) property(ctx context.Context, object string, f *sfapi.Field) (*live.Property, error) {
	c.rememberMulti(object, f.Name, f.Type == sfapi.FieldMultiPicklist)
	if !f.IsPicklist() {
		return c.toLive(object, f, nil), nil
	}
	vs, err := c.loadValues(ctx, object, f)
	if err != nil {
		return nil, err
	}
	return c.toLive(object, f, vs), nil
}

// current is one bound field as it is now, for Apply and MigrateRecords.
type current struct {
	field *sfapi.Field
	vs    *valueSet // nil when the field is not a picklist
	prop  *live.Property
}

// readCurrent describes the binding's object and reads the field's
// values. A missing object or field is an error wrapping live.ErrNotFound.
func (c *Client) readCurrent(ctx context.Context, b live.Binding) (*current, error) {
	d, err := c.Describe(ctx, b.Object)
	if err != nil {
		return nil, err
	}
	f, ok := d.Field(b.Property)
	if !ok {
		return nil, fmt.Errorf("%s: no field %s on %s: %w", c.api.System, b.Property, b.Object, live.ErrNotFound)
	}
	c.rememberMulti(b.Object, f.Name, f.Type == sfapi.FieldMultiPicklist)
	cur := &current{field: f}
	if f.IsPicklist() {
		if cur.vs, err = c.loadValues(ctx, b.Object, f); err != nil {
			return nil, err
		}
	}
	cur.prop = c.toLive(b.Object, f, cur.vs)
	return cur, nil
}

// unknownObject reports Salesforce's answer to a describe of an sObject it
// does not know: 404 with a Salesforce error body (not, say, an HTML 404
// from a wrong instance URL).
func unknownObject(err error) bool {
	var e *live.APIError
	return errors.As(err, &e) && e.Status == http.StatusNotFound && e.Category == sfapi.CodeNotFound
}
