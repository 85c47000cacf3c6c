// Package hsapi holds the JSON shapes and paths of the HubSpot API subset
// mops uses (CRM Properties, CRM Objects search and batch update,
// Communication Preferences definitions), in the numeric v3 family and the
// date-based one, shared by the HubSpot client and the sandbox emulator.
// Field names follow HubSpot's OpenAPI files; tests validate both sides
// against them.
package hsapi

import (
	"fmt"
	"regexp"
)

// API versions. HubSpot's numeric paths (/crm/v3/...) stop being
// supported in September 2027; since 2025-09 each API also has date-based
// versions (/crm/properties/2026-09/...), released every March and
// September ("API versioning" and the legacy-API migration guide on
// developers.hubspot.com; the dated OpenAPI files of
// HubSpot/HubSpot-public-api-spec-collection, PublicApiSpecs/CRM/*/Rollouts/*/2026-09).
const (
	// VersionV3 is the numeric family mops first spoke.
	VersionV3 = "v3"
	// DefaultVersion is the date-based version mops calls unless told
	// otherwise.
	DefaultVersion = "2026-09"
	// ValidatedSince is the first version in which HubSpot applies a
	// portal's admin-configured validation rules (conditional required
	// properties, ...) to every CRM API write (developer changelog,
	// "Breaking Change: CRM API Write Validation Enforcement Starting with
	// the 2026-09 API Version").
	ValidatedSince = "2026-09"
)

var datedRE = regexp.MustCompile(`^20[2-9][0-9]-(03|09)$`)

// CheckVersion accepts v3 and a date-based version (YYYY-03 or YYYY-09,
// from 2025-09).
func CheckVersion(v string) error {
	if v == VersionV3 || (datedRE.MatchString(v) && v >= "2025-09") {
		return nil
	}
	return fmt.Errorf("HubSpot API version %q: want %s or a date-based version such as %s (YYYY-03 or YYYY-09, from 2025-09)", v, VersionV3, DefaultVersion)
}

// Dated reports whether v is a date-based version.
func Dated(v string) bool { return v != VersionV3 }

// Paths are the API paths of one version. Placeholders are filled with
// url.PathEscape'd values.
type Paths struct {
	// Properties: GET (list), POST (create); %s is the object type.
	Properties string
	// Property: GET, PATCH; %s the object type, %s the property name.
	Property string
	// Search: POST; %s the object type.
	Search string
	// BatchUpdate: POST; %s the object type.
	BatchUpdate string
	// SubscriptionDefs: GET.
	SubscriptionDefs string
}

// PathsOf returns the paths of version v (see CheckVersion).
func PathsOf(v string) Paths {
	if !Dated(v) {
		return Paths{
			Properties:       "/crm/v3/properties/%s",
			Property:         "/crm/v3/properties/%s/%s",
			Search:           "/crm/v3/objects/%s/search",
			BatchUpdate:      "/crm/v3/objects/%s/batch/update",
			SubscriptionDefs: "/communication-preferences/v3/definitions",
		}
	}
	return Paths{
		Properties:       "/crm/properties/" + v + "/%s",
		Property:         "/crm/properties/" + v + "/%s/%s",
		Search:           "/crm/objects/" + v + "/%s/search",
		BatchUpdate:      "/crm/objects/" + v + "/%s/batch/update",
		SubscriptionDefs: "/communication-preferences/" + v + "/definitions",
	}
}

// Limits HubSpot documents for the calls above.
const (
	// MaxSearchLimit is the largest page a search returns.
	MaxSearchLimit = 200
	// MaxSearchResults is how far search paging goes; past it HubSpot
	// answers 400.
	MaxSearchResults = 10000
	// MaxBatchInputs is the largest batch update.
	MaxBatchInputs = 100
	// MaxFilterGroups, MaxFiltersPerGroup and MaxFilters cap a search.
	MaxFilterGroups    = 5
	MaxFiltersPerGroup = 10
	MaxFilters         = 25
)
