package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
	type job struct {
		b live.Binding
		f *sfapi.Field
	}
	var jobs []job
	snap, err := live.ObjectReader[*sfapi.SObjectDescribe]{
		Own: c.own,
		Fetch: func(ctx context.Context, object string) (*sfapi.SObjectDescribe, error) {
			d, err := c.Describe(ctx, object)
			if err != nil {
				return nil, fmt.Errorf("describe %s: %w", object, err)
			}
			return d, nil
		},
		Unknown: unknownObject,
		Pick: func(snap *live.Snapshot, b live.Binding, d *sfapi.SObjectDescribe) {
			if f, ok := d.Field(b.Property); ok {
				jobs = append(jobs, job{b, f})
			} else {
				snap.Missing = append(snap.Missing, b)
			}
		},
	}.Read(ctx, c.api.System, c.api.Clock.Now(), req.Bindings)
	if err != nil {
		return nil, err
	}

	props := make([]*live.Property, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { props[i], errs[i] = c.property(ctx, j.b.Object, j.f) })
	}
	wg.Wait()
	var failed []error
	for i, j := range jobs {
		if errs[i] != nil {
			failed = append(failed, fmt.Errorf("read %s: %w", j.b, errs[i]))
			continue
		}
		snap.Properties[j.b] = props[i]
	}
	if len(failed) > 0 {
		return nil, errors.Join(failed...)
	}
	return snap, nil
}

// property reads one field's values (none for a field that is not a
// picklist) and converts it.
func (c *Client) property(ctx context.Context, object string, f *sfapi.Field) (*live.Property, error) {
	c.rememberMulti(object, f)
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
	c.rememberMulti(b.Object, f)
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
