package hubspot

import (
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// toLive converts a HubSpot property into the provider-neutral form and
// fingerprints it.
func (c *Client) toLive(objectType string, p *hsapi.Property) *live.Property {
	lp := &live.Property{
		Binding:         live.Binding{System: c.api.System, Object: objectType, Property: p.Name},
		Label:           p.Label,
		Type:            p.Type,
		FieldType:       p.FieldType,
		MultiValued:     isMultiValued(p),
		Options:         make([]live.Option, 0, len(p.Options)),
		ProviderDefined: p.HubspotDefined,
		UpdatedAt:       p.UpdatedAt,
	}
	if m := p.ModificationMetadata; m != nil {
		lp.ReadOnlyOptions = m.ReadOnlyOptions
		lp.ReadOnlyDefinition = m.ReadOnlyDefinition
	}
	if p.ExternalOptions || p.Calculated {
		lp.ReadOnlyOptions = true // options come from elsewhere (owners, a formula)
	}
	for _, o := range p.Options {
		lp.Options = append(lp.Options, live.Option{
			Value: o.Value, Label: o.Label, Description: o.Description,
			DisplayOrder: o.DisplayOrder, Hidden: o.Hidden,
		})
	}
	lp.Fingerprint = live.FingerprintOf(lp)
	return lp
}

// isMultiValued: a checkbox enumeration stores several ';'-separated
// options per record.
func isMultiValued(p *hsapi.Property) bool {
	return p.Type == "enumeration" && p.FieldType == "checkbox"
}

func toWireOptions(opts []live.Option) []hsapi.Option {
	out := make([]hsapi.Option, 0, len(opts))
	for _, o := range opts {
		out = append(out, hsapi.Option{
			Label: o.Label, Value: o.Value, Description: o.Description,
			DisplayOrder: o.DisplayOrder, Hidden: o.Hidden,
		})
	}
	return out
}
