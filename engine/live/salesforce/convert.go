package salesforce

import (
	"fmt"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// toLive builds the provider-neutral property of a field and fingerprints
// it. vs is nil for a field that is not a picklist. Standard fields are
// provider-defined with a read-only definition; their values (the
// StandardValueSet) stay writable.
func (c *Client) toLive(object string, f *sfapi.Field, vs *valueSet) *live.Property {
	lp := &live.Property{
		Binding:            live.Binding{System: c.api.System, Object: object, Property: f.Name},
		Label:              f.Label,
		Type:               f.Type,
		MultiValued:        f.Type == sfapi.FieldMultiPicklist,
		Options:            []live.Option{},
		ProviderDefined:    !f.Custom,
		ReadOnlyDefinition: !f.Custom,
	}
	if vs != nil {
		lp.Options = toLiveOptions(vs.values)
	}
	lp.Fingerprint = live.FingerprintOf(lp)
	return lp
}

// own normalises a binding to this client's system and checks its names,
// which go into SOQL unquoted.
func (c *Client) own(b live.Binding) (live.Binding, error) {
	b, err := b.In(c.api.System)
	if err != nil {
		return b, err
	}
	if err := checkIdent("sObject", b.Object); err != nil {
		return b, fmt.Errorf("%s: binding %s: %w", c.api.System, b, err)
	}
	if err := checkIdent("field", b.Property); err != nil {
		return b, fmt.Errorf("%s: binding %s: %w", c.api.System, b, err)
	}
	return b, nil
}

// rememberMulti notes whether a field is a multi-select picklist.
func (c *Client) rememberMulti(object string, f *sfapi.Field) {
	c.multi.Store(live.Binding{System: c.api.System, Object: object, Property: f.Name}, f.Type == sfapi.FieldMultiPicklist)
}
