package salesforce

import (
	"context"
	"errors"
	"fmt"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Apply implements live.Provider.
//
// set-options writes the full value list to the Tooling record behind the
// binding (CustomField, GlobalValueSet or StandardValueSet) with one PATCH
// of its full Metadata, then reads it back. See planValues for how the
// desired list becomes Salesforce's: hidden options and options the list
// leaves out are written with isActive false; Salesforce never deletes.
//
// create-property creates a custom picklist field (Tooling CustomField
// POST) with a restricted value set; standard fields cannot be created.
func (c *Client) Apply(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	return live.ApplyActions{Own: c.own, SetOptions: c.setOptions, CreateProperty: c.createProperty, FoldCase: true}.Apply(ctx, ch)
}

// setOptions re-reads the field, then writes the planned values unless
// live already has them (see live.SetOptions and planValues).
func (c *Client) setOptions(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	b := ch.Binding
	var (
		cur     *current
		planned []sfapi.CustomValue
	)
	return live.SetOptions(ctx, ch,
		func(ctx context.Context) (*live.Property, []live.Option, error) {
			var err error
			if cur, err = c.readCurrent(ctx, b); err != nil {
				return nil, nil, err
			}
			var curValues []sfapi.CustomValue
			if cur.vs != nil {
				curValues = cur.vs.values
			}
			planned = planValues(curValues, ch.Options)
			return cur.prop, toLiveOptions(planned), nil
		},
		func(ctx context.Context) (*live.Property, error) {
			if cur.vs == nil {
				return nil, fmt.Errorf("it is a %s field, not a picklist", cur.field.Type)
			}
			if err := c.writeValues(ctx, cur.vs, planned); err != nil {
				return nil, fmt.Errorf("%s %s: %w", cur.vs.kind, cur.vs.name, err)
			}
			after, err := c.readCurrent(ctx, b)
			if err != nil {
				return nil, fmt.Errorf("written, but re-reading failed: %w", err)
			}
			return after.prop, nil
		})
}

// createProperty creates a custom picklist field. If the field exists
// already with the desired values (a re-run), that is success without
// change.
func (c *Client) createProperty(ctx context.Context, ch live.Change) (*live.ApplyResult, error) {
	b := ch.Binding
	what := "apply create-property to " + b.String()
	if ch.Label == "" {
		return nil, fmt.Errorf("%s: label is required", what)
	}
	if n := splitAPIName(b.Property); !n.custom || n.namespace != "" {
		return nil, fmt.Errorf("%s: mops creates only custom fields of this org (Name__c, without a namespace); %s is not one", what, b.Property)
	}
	cur, err := c.readCurrent(ctx, b)
	switch {
	case err == nil:
		if live.SameOptions(cur.prop.Options, toLiveOptions(planValues(nil, ch.Options))) {
			return &live.ApplyResult{Before: cur.prop, After: cur.prop, Changed: false}, nil
		}
		return nil, fmt.Errorf("%s: the field exists with other values; run mops plan again", what)
	case !errors.Is(err, live.ErrNotFound) || unknownObject(err):
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	fullName := b.Object + "." + b.Property
	id, err := c.CreateCustomField(ctx, sfapi.MetadataWrite[sfapi.CustomFieldMetadata]{
		FullName: fullName,
		Metadata: sfapi.CustomFieldMetadata{
			Label: ch.Label,
			Type:  sfapi.MetadataPicklist,
			ValueSet: &sfapi.ValueSet{
				Restricted:         new(true),
				ValueSetDefinition: &sfapi.ValueSetDefinition{Sorted: false, Value: planValues(nil, ch.Options)},
			},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	after, err := c.readCurrent(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("%s: created custom field %s (Id %s), but reading it back failed; if describe does not show it, grant the integration user field-level security on it: %w", what, fullName, id, err)
	}
	return &live.ApplyResult{After: after.prop, Changed: true}, nil
}
