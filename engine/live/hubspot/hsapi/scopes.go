package hsapi

import "strings"

// Token introspection: POST a private-app token (or service key) as
// {"tokenKey": "..."} to learn its account, app and scopes.
const PathAccessTokenInfo = "/oauth/v2/private-apps/get/access-token-info"

// TokenInfoRequest is the introspection request body.
type TokenInfoRequest struct {
	TokenKey string `json:"tokenKey"`
}

// TokenInfo is the introspection answer.
type TokenInfo struct {
	UserID int64    `json:"userId"`
	HubID  int64    `json:"hubId"`
	AppID  int64    `json:"appId"`
	Scopes []string `json:"scopes"`
}

// Rate-limit headers of private-app and service-key calls: the account's
// daily allocation and what is left of it.
const (
	HeaderDailyLimit     = "X-HubSpot-RateLimit-Daily"
	HeaderDailyRemaining = "X-HubSpot-RateLimit-Daily-Remaining"
)

// Access is what a call does to an object type, for the scope it needs.
type Access int

// The accesses mops needs.
const (
	// ReadSchema reads property definitions.
	ReadSchema Access = iota
	// WriteSchema creates properties and changes their options.
	WriteSchema
	// ReadRecords searches records (counts, migrations).
	ReadRecords
	// WriteRecords updates records (migrations).
	WriteRecords
)

// ScopeCommunicationPreferencesRead lets a token read subscription types.
const ScopeCommunicationPreferencesRead = "communication_preferences.read"

// Scope is the granular scope a call of access to objectType needs, as
// HubSpot's OpenAPI files list them for private apps: crm.schemas.* for
// property definitions, crm.objects.* for records, per standard object;
// crm.*.custom.* for custom objects; tickets have one legacy scope. Reading
// property definitions also works with the crm.objects.*.read scope;
// ScopesFor says so.
func Scope(objectType string, a Access) string {
	kind, verb := "objects", "read"
	if a == ReadSchema || a == WriteSchema {
		kind = "schemas"
	}
	if a == WriteSchema || a == WriteRecords {
		verb = "write"
	}
	switch t := strings.ToLower(objectType); t {
	case "contacts", "companies", "deals":
		return "crm." + kind + "." + t + "." + verb
	case "tickets":
		return "tickets"
	}
	return "crm." + kind + ".custom." + verb
}

// ScopesFor lists the scopes any one of which lets a call of access to
// objectType through.
func ScopesFor(objectType string, a Access) []string {
	if a == ReadSchema {
		return uniq(Scope(objectType, ReadSchema), Scope(objectType, ReadRecords))
	}
	return []string{Scope(objectType, a)}
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}
