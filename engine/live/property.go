package live

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Option is one allowed value of an enumerated property.
type Option struct {
	// Value is what records store; it never changes once created.
	Value string `json:"value"`
	// Label is what users see.
	Label string `json:"label"`
	// Description is optional help text.
	Description string `json:"description,omitempty"`
	// DisplayOrder is the position users see. HubSpot shows ascending
	// order, with -1 after every positive value.
	DisplayOrder int `json:"displayOrder"`
	// Hidden marks a retired option: records may still hold it, but it is
	// no longer offered for new values. HubSpot calls this hidden;
	// Salesforce calls it inactive (isActive: false).
	Hidden bool `json:"hidden"`
}

// Property is the live definition behind one binding.
type Property struct {
	Binding
	// Label is the property's own label (not governed; for display).
	Label string `json:"label"`
	// Type is the provider's data type, e.g. "enumeration" (HubSpot) or
	// "picklist" (Salesforce).
	Type string `json:"type"`
	// FieldType is the provider's widget, e.g. "select" or "checkbox".
	FieldType string `json:"fieldType,omitempty"`
	// MultiValued is true when a record can hold several options at once
	// (HubSpot checkbox enumerations, Salesforce multi-select picklists);
	// record values are then ';'-separated.
	MultiValued bool `json:"multiValued,omitempty"`
	// Options are the live options in the provider's order.
	Options []Option `json:"options"`
	// ProviderDefined is true for properties the vendor ships
	// (HubSpot hubspotDefined, Salesforce standard fields).
	ProviderDefined bool `json:"providerDefined,omitempty"`
	// ReadOnlyOptions is true when the options cannot be changed through
	// the API. Plan must report it; Apply refuses with ErrReadOnly.
	ReadOnlyOptions bool `json:"readOnlyOptions,omitempty"`
	// ReadOnlyDefinition is true when the definition (label, type, group)
	// cannot be changed. Options may still be writable.
	ReadOnlyDefinition bool `json:"readOnlyDefinition,omitempty"`
	// UpdatedAt is the provider's last-modified time, zero when unknown.
	// It is not part of Fingerprint.
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	// Fingerprint is a stable hash of what plan depends on; see
	// FingerprintOf. Providers fill it in.
	Fingerprint string `json:"fingerprint"`
}

// Option returns the option with the given value.
func (p *Property) Option(value string) (Option, bool) {
	for _, o := range p.Options {
		if o.Value == value {
			return o, true
		}
	}
	return Option{}, false
}

// FingerprintOf hashes the parts of a property that plan depends on: the
// binding, type, multi-valuedness, read-only flags and the options in order
// with every field. Labels of the property itself and timestamps are left
// out on purpose: an unrelated edit (say, a new property description) must
// not make a plan stale, and the same content yields the same fingerprint
// on HubSpot and on the sandbox.
func FingerprintOf(p *Property) string {
	canon := struct {
		Object, Property, Type string
		MultiValued            bool
		ReadOnlyOptions        bool
		ReadOnlyDefinition     bool
		Options                []Option
	}{p.Object, p.Property, p.Type, p.MultiValued, p.ReadOnlyOptions, p.ReadOnlyDefinition, p.Options}
	if canon.Options == nil {
		canon.Options = []Option{}
	}
	b, err := json.Marshal(canon)
	if err != nil { // cannot happen: plain strings, ints and bools
		panic("live: marshal fingerprint: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// SameOptions reports whether two option lists are identical in order and
// in every field.
func SameOptions(a, b []Option) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ReplaceToken swaps one value of a multi-valued property's record value
// (';'-separated), dropping it when to is empty and keeping each value
// once.
func ReplaceToken(value, from, to string) string {
	var out []string
	for _, t := range strings.Split(value, ";") {
		if t == from {
			t = to
		}
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, ";")
}
