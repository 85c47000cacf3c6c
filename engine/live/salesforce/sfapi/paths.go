package sfapi

import (
	"fmt"
	"regexp"
	"strings"
)

// DefaultAPIVersion is the API version mops uses when mops.yaml sets none.
const DefaultAPIVersion = "v62.0"

// Paths below the data root /services/data/{version}. Format verbs take
// path-escaped names.
const (
	// DataRoot is the root of one API version; %s is the version (v62.0).
	DataRoot = "/services/data/%s"
	// PathDescribe: GET, describe of an sObject; %s the object.
	PathDescribe = "/sobjects/%s/describe"
	// PathQuery: GET ?q=SOQL, data query.
	PathQuery = "/query"
	// PathToolingQuery: GET ?q=SOQL, Tooling query.
	PathToolingQuery = "/tooling/query"
	// PathToolingObject: GET and PATCH one Tooling record; %s type, %s Id.
	PathToolingObject = "/tooling/sobjects/%s/%s"
	// PathToolingObjects: POST a Tooling record; %s type.
	PathToolingObjects = "/tooling/sobjects/%s"
	// PathCollections: PATCH, sObject collections update.
	PathCollections = "/composite/sobjects"
	// PathLimits: GET, the org's limits.
	PathLimits = "/limits"
)

// Tooling object types mops reads and writes.
const (
	TypeCustomField      = "CustomField"
	TypeCustomObject     = "CustomObject"
	TypeGlobalValueSet   = "GlobalValueSet"
	TypeStandardValueSet = "StandardValueSet"
)

// Limits of the API.
const (
	// MaxCollection is the most records one sObject collections call takes.
	MaxCollection = 200
	// MaxQueryBatch is the most records one query page returns.
	MaxQueryBatch = 2000
	// MaxGlobalValues is the most values (inactive ones included) a global
	// value set may hold.
	MaxGlobalValues = 1000
)

// HeaderLimitInfo carries the org's API usage on every REST response.
const HeaderLimitInfo = "Sforce-Limit-Info"

var versionRE = regexp.MustCompile(`^v[1-9][0-9]*\.[0-9]$`)

// IsVersion reports whether v is an API version as paths carry it (v62.0).
func IsVersion(v string) bool { return versionRE.MatchString(v) }

// NormaliseVersion accepts "v62.0" or "62.0" and returns "v62.0".
func NormaliseVersion(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && v[0] != 'v' {
		v = "v" + v
	}
	if !versionRE.MatchString(v) {
		return "", fmt.Errorf("API version %q: want vNN.N, e.g. %s", v, DefaultAPIVersion)
	}
	return v, nil
}

// Root returns the data root of an API version.
func Root(version string) string { return fmt.Sprintf(DataRoot, version) }
