package live

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode"
)

// ReadRequest says what Read must fetch. New fields are optional, so
// providers and callers keep compiling as it grows.
type ReadRequest struct {
	// Bindings are the properties to read. Bindings of other systems are
	// an error.
	Bindings []Binding
	// SubscriptionTypes asks for the system's subscription types (consent
	// policies name them). Off by default: it needs an extra scope.
	SubscriptionTypes bool
}

// Snapshot is the live state behind a set of bindings at one moment.
type Snapshot struct {
	// System is the Project system name the snapshot was read from.
	System string `json:"system"`
	// ReadAt is when the read started.
	ReadAt time.Time `json:"readAt"`
	// Properties holds every bound property that exists.
	Properties map[Binding]*Property `json:"-"`
	// Missing lists bound properties that do not exist (or are archived),
	// sorted. Plan reports them; it may offer create-property.
	Missing []Binding `json:"missing,omitempty"`
	// UnknownObjects lists object types the system does not know, sorted.
	// Their bindings are in Missing too.
	UnknownObjects []string `json:"unknownObjects,omitempty"`
	// SubscriptionTypes are the system's subscription types, read-only.
	// Nil unless ReadRequest.SubscriptionTypes was set.
	SubscriptionTypes []SubscriptionType `json:"subscriptionTypes,omitempty"`
}

// SubscriptionType is a consent subscription type (HubSpot subscription
// definition). Providers expose them read-only: no API creates or edits
// them, so plan only checks that the ones consent policies name exist.
type SubscriptionType struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Purpose is the department or reason, e.g. "Marketing".
	Purpose string `json:"purpose,omitempty"`
	// Channel is the communication method, e.g. "Email".
	Channel string `json:"channel,omitempty"`
	// Active is false for archived definitions.
	Active bool `json:"active"`
	// Default marks vendor-created definitions.
	Default bool `json:"default,omitempty"`
	// Internal marks definitions used by the vendor's own tools.
	Internal bool `json:"internal,omitempty"`
}

// SubscriptionType finds a subscription type by reference: its ID, its name
// (case-insensitive) or the slug of its name ("Marketing Newsletter" is
// "marketing-newsletter"), which is how ConsentPolicy documents name them.
func (s *Snapshot) SubscriptionType(ref string) (SubscriptionType, bool) {
	for _, t := range s.SubscriptionTypes {
		if t.ID == ref || strings.EqualFold(t.Name, ref) || Slug(t.Name) == ref {
			return t, true
		}
	}
	return SubscriptionType{}, false
}

// Slug lower-cases s and joins its runs of letters and digits with '-'.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// Sorted returns the snapshot's properties in binding order.
func (s *Snapshot) Sorted() []*Property {
	out := make([]*Property, 0, len(s.Properties))
	for _, p := range s.Properties {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *Property) int { return a.Binding.Compare(b.Binding) })
	return out
}

// snapshotJSON is Snapshot with its properties as a sorted list, since
// JSON objects cannot have struct keys.
type snapshotJSON struct {
	snapshotFields
	Properties []*Property `json:"properties"`
}

type snapshotFields Snapshot

// MarshalJSON writes the properties as a list sorted by binding.
func (s *Snapshot) MarshalJSON() ([]byte, error) {
	return json.Marshal(snapshotJSON{snapshotFields(*s), s.Sorted()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Snapshot) UnmarshalJSON(data []byte) error {
	var j snapshotJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*s = Snapshot(j.snapshotFields)
	s.Properties = make(map[Binding]*Property, len(j.Properties))
	for _, p := range j.Properties {
		s.Properties[p.Binding] = p
	}
	return nil
}
