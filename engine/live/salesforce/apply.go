package salesforce

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	b, err := c.own(ch.Binding)
	if err != nil {
		return nil, err
	}
	if err := checkOptions(ch.Options); err != nil {
		return nil, fmt.Errorf("apply %s to %s: %w", ch.Action, b, err)
	}
	switch ch.Action {
	case live.ActionSetOptions:
		return c.setOptions(ctx, b, ch)
	case live.ActionCreateProperty:
		return c.createProperty(ctx, b, ch)
	default:
		return nil, fmt.Errorf("apply %q to %s: %w action", ch.Action, b, live.ErrUnsupported)
	}
}

// setOptions re-reads the field, then writes the planned values unless
// live already has them.
func (c *Client) setOptions(ctx context.Context, b live.Binding, ch live.Change) (*live.ApplyResult, error) {
	cur, err := c.readCurrent(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("apply set-options to %s: re-read: %w", b, err)
	}
	before := cur.prop
	var curValues []sfapi.CustomValue
	if cur.vs != nil {
		curValues = cur.vs.values
	}
	planned := planValues(curValues, ch.Options)
	if live.SameOptions(before.Options, toLiveOptions(planned)) {
		return &live.ApplyResult{Before: before, After: before, Changed: false}, nil
	}
	if ch.ExpectFingerprint != "" && before.Fingerprint != ch.ExpectFingerprint {
		return nil, &live.StaleError{Binding: b, Want: ch.ExpectFingerprint, Got: before.Fingerprint}
	}
	if before.ReadOnlyOptions {
		return nil, &live.ReadOnlyError{Binding: b, What: "options"}
	}
	if cur.vs == nil {
		return nil, fmt.Errorf("apply set-options to %s: it is a %s field, not a picklist", b, cur.field.Type)
	}
	if err := c.writeValues(ctx, cur.vs, planned); err != nil {
		return nil, fmt.Errorf("apply set-options to %s (%s %s): %w", b, cur.vs.kind, cur.vs.name, err)
	}
	after, err := c.readCurrent(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("apply set-options to %s: written, but re-reading failed: %w", b, err)
	}
	return &live.ApplyResult{Before: before, After: after.prop, Changed: true}, nil
}

// createProperty creates a custom picklist field. If the field exists
// already with the desired values (a re-run), that is success without
// change.
func (c *Client) createProperty(ctx context.Context, b live.Binding, ch live.Change) (*live.ApplyResult, error) {
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

// checkOptions catches what Salesforce would refuse, before any request.
// Salesforce compares value API names without regard to case.
func checkOptions(opts []live.Option) error {
	seen := make(map[string]bool, len(opts))
	for i, o := range opts {
		key := strings.ToLower(o.Value)
		switch {
		case strings.TrimSpace(o.Value) == "":
			return fmt.Errorf("option %d: empty value", i+1)
		case strings.TrimSpace(o.Label) == "":
			return fmt.Errorf("option %q: empty label", o.Value)
		case seen[key]:
			return fmt.Errorf("option %q: listed twice (Salesforce ignores case in value names)", o.Value)
		}
		seen[key] = true
	}
	return nil
}
