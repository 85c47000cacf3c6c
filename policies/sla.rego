# METADATA
# title: SLA
# description: Rules for SLA documents.
package mops.sla

# METADATA
# description: The target is a duration, whole days or business days (24h, 90m, 3d, 10bd).
# custom:
#   id: sla.target
deny contains {
	"rule": "sla.target",
	"message": sprintf("target '%v' is not a duration: write a Go duration (24h, 90m), days (3d) or business days (10bd)", [input.spec.target]),
	"path": "spec.target",
} if {
	input.kind == "SLA"
	not mops.duration_days(input.spec.target)
}

# METADATA
# description: A stage-response SLA is named by some LifecycleModel stage.
# custom:
#   id: sla.unreferenced
warn contains {
	"rule": "sla.unreferenced",
	"message": sprintf("stage-response SLA %s is not named by any LifecycleModel stage, so it binds nothing", [input.metadata.name]),
	"path": "spec.type",
} if {
	input.kind == "SLA"
	input.spec.type == "stage-response"
	not referenced
}

referenced if {
	some model in object.get(input.index, "LifecycleModel", {})
	some stage in model.spec.stages
	stage.sla == input.metadata.name
}
