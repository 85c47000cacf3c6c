package live

import (
	"cmp"
	"fmt"
	"slices"
)

// Binding names where a governed vocabulary lives in a live system.
type Binding struct {
	// System is a Project system name (mops.yaml spec.systems[].name).
	System string `json:"system"`
	// Object is a HubSpot object type (contacts, companies, ...) or a
	// Salesforce sObject (Lead, Contact, ...).
	Object string `json:"object"`
	// Property is a HubSpot property name or a Salesforce field API name.
	Property string `json:"property"`
}

// String renders the binding as system:object.property.
func (b Binding) String() string { return b.System + ":" + b.Object + "." + b.Property }

// Compare orders bindings by system, then object, then property.
func (b Binding) Compare(o Binding) int {
	return cmp.Or(
		cmp.Compare(b.System, o.System),
		cmp.Compare(b.Object, o.Object),
		cmp.Compare(b.Property, o.Property),
	)
}

// SortBindings sorts bindings in place in Compare order.
func SortBindings(bs []Binding) {
	slices.SortFunc(bs, Binding.Compare)
}

// In returns b as the provider of system sees it: a binding without a
// system is taken as system's, one of another system is an error, and
// object and property are required.
func (b Binding) In(system string) (Binding, error) {
	if b.System == "" {
		b.System = system
	}
	if b.System != system {
		return b, fmt.Errorf("%s: binding %s belongs to another system", system, b)
	}
	if b.Object == "" || b.Property == "" {
		return b, fmt.Errorf("%s: binding %s: object and property are required", system, b)
	}
	return b, nil
}
