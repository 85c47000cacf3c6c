# METADATA
# title: Project
# description: Rules for the Project document (mops.yaml) that need the other documents.
package mops.project

import data.mops.lib

# METADATA
# description: Every spec.taxonomyRefs entry names an existing Taxonomy.
# custom:
#   id: project.taxonomy-ref
deny contains {
	"rule": "project.taxonomy-ref",
	"message": sprintf("taxonomyRefs.%s names taxonomy '%v', which does not exist%s", [field, name, lib.suggest(name, object.keys(lib.taxonomies))]),
	"path": sprintf("spec.taxonomyRefs.%s", [field]),
} if {
	input.kind == "Project"
	some field, name in object.get(input.spec, "taxonomyRefs", {})
	not lib.taxonomies[name]
}

# METADATA
# description: spec.defaultSystem names a system of spec.systems.
# custom:
#   id: project.default-system
deny contains {
	"rule": "project.default-system",
	"message": sprintf("defaultSystem '%v' is not one of spec.systems%s%s", [system, lib.suggest(system, lib.systems), lib.known(" (systems: %s)", lib.systems)]),
	"path": "spec.defaultSystem",
} if {
	input.kind == "Project"
	system := input.spec.defaultSystem
	not system in lib.systems
}

# METADATA
# description: A freeze's overrideRole is a RACI role.
# custom:
#   id: project.freeze-role
deny contains {
	"rule": "project.freeze-role",
	"message": sprintf("freeze %v: %s", [f.name, msg]),
	"path": sprintf("spec.freezes[%d].overrideRole", [i]),
} if {
	input.kind == "Project"
	some i, f in object.get(input.spec, "freezes", [])
	msg := lib.role_problem("overrideRole", f.overrideRole)
}
