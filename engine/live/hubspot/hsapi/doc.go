// Package hsapi holds the JSON shapes of the HubSpot API subset mops uses
// (CRM Properties v3, CRM Objects v3 search and batch update,
// Communication Preferences v3 definitions), shared by the HubSpot client
// and the sandbox emulator. Field names follow HubSpot's OpenAPI files;
// tests validate both sides against them.
package hsapi

// API paths. Placeholders are filled with url.PathEscape'd values.
const (
	PathProperties      = "/crm/v3/properties/%s"
	PathProperty        = "/crm/v3/properties/%s/%s"
	PathSearch          = "/crm/v3/objects/%s/search"
	PathBatchUpdate     = "/crm/v3/objects/%s/batch/update"
	PathSubscriptionDef = "/communication-preferences/v3/definitions"
)

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
