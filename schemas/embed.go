// Package schemas embeds the JSON Schemas (draft 2020-12) of the mops
// governance format, one file per kind plus common.schema.json (shared
// $defs) and mops.schema.json (a root schema that dispatches on kind, for
// editors that use one schema for every file).
//
// Every file's $id is BaseID followed by its file name, and files refer to
// each other with relative references such as
// "common.schema.json#/$defs/name", so a validator must add every file as a
// resource under its $id before compiling.
package schemas

import (
	"embed"
	"strings"
)

// FS holds every schema file at its root (for example
// "campaign.schema.json").
//
//go:embed *.json
var FS embed.FS

// BaseID is the prefix of every schema's $id; append a file name to get it.
const BaseID = "https://mops.dev/schemas/v1/"

// The schema files that do not describe a single kind.
const (
	// Common holds the $defs shared by the kind schemas.
	Common = "common.schema.json"
	// Root validates a document of any kind by dispatching on its kind.
	Root = "mops.schema.json"
)

// File returns the schema file name for a kind, for example
// "lifecycle-model.schema.json" for "LifecycleModel". Kind names match
// case-insensitively; an unknown kind gives "".
func File(kind string) string {
	for _, k := range kinds() {
		if strings.EqualFold(k[0], kind) {
			return k[1]
		}
	}
	return ""
}

// Files returns every schema file name: the kind schemas in documentation
// order, then Common and Root.
func Files() []string {
	ks := kinds()
	out := make([]string, 0, len(ks)+2)
	for _, k := range ks {
		out = append(out, k[1])
	}
	return append(out, Common, Root)
}

// kinds pairs each kind with its schema file, in documentation order.
func kinds() [][2]string {
	return [][2]string{
		{"Project", "project.schema.json"},
		{"Taxonomy", "taxonomy.schema.json"},
		{"LifecycleModel", "lifecycle-model.schema.json"},
		{"NamingConvention", "naming-convention.schema.json"},
		{"RACI", "raci.schema.json"},
		{"SLA", "sla.schema.json"},
		{"ConsentPolicy", "consent-policy.schema.json"},
		{"Campaign", "campaign.schema.json"},
	}
}
