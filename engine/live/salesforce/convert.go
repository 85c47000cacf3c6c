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
	if b.System == "" {
		b.System = c.api.System
	}
	if b.System != c.api.System {
		return b, fmt.Errorf("%s: binding %s belongs to another system", c.api.System, b)
	}
	if err := checkIdent("sObject", b.Object); err != nil {
		return b, fmt.Errorf("%s: binding %s: %w", c.api.System, b, err)
	}
	if err := checkIdent("field", b.Property); err != nil {
		return b, fmt.Errorf("%s: binding %s: %w", c.api.System, b, err)
	}
	return b, nil
}

func (c *Client) rememberMulti(object, field string, multi bool) {
	c.mu.Lock()
	c.multi[object+"."+field] = multi
	c.mu.Unlock()
}

func (c *Client) knownMulti(object, field string) (multi, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	multi, ok = c.multi[object+"."+field]
	return multi, ok
}
