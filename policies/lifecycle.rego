# METADATA
# title: LifecycleModel
# description: >-
#   Rules for LifecycleModel documents. The stage graph: a stage named in some
#   transition's from goes to that transition's targets; every other stage that
#   is not terminal goes to the next stage in funnel order.
package mops.lifecycle

import data.mops.lib

stages := object.get(input.spec, "stages", [])

stage_ids := [s.id | some s in stages]

ids := {id | some id in stage_ids}

# active: the stages that are not deprecated. A deprecated stage stays in
# the list while its records move to its replacedBy; nothing leads to it.
active := {s.id | some s in stages; not s.deprecated}

transitions := object.get(input.spec, "transitions", [])

explicit := {t.from | some t in transitions}

# targets(id): the stages stage id leads to.
targets(id) := {to | some t in transitions; t.from == id; some to in t.to} if id in explicit

targets(id) := {stages[i + 1].id |
	some i, s in stages
	s.id == id
	not s.terminal
	i + 1 < count(stages)
} if not id in explicit

edges := {id: targets(id) | some id in ids}

reachable := graph.reachable(edges, {stage_ids[0]})

slas := object.get(input.index, "SLA", {})

# METADATA
# description: Stage ids are unique within a lifecycle model.
# custom:
#   id: lifecycle.duplicate-stage
deny contains {
	"rule": "lifecycle.duplicate-stage",
	"message": sprintf("stage id '%v' is used twice; it is first at spec.stages[%d]", [s.id, first]),
	"path": sprintf("spec.stages[%d].id", [i]),
} if {
	input.kind == "LifecycleModel"
	some i, s in stages
	first := lib.first_index(stage_ids, s.id)
	first < i
}

# METADATA
# description: Every transition's from and to name stages of the model.
# custom:
#   id: lifecycle.transition-stage
deny contains {
	"rule": "lifecycle.transition-stage",
	"message": sprintf("transition from '%v' names no stage of this model%s", [t.from, lib.suggest(t.from, ids)]),
	"path": sprintf("spec.transitions[%d].from", [i]),
} if {
	input.kind == "LifecycleModel"
	some i, t in transitions
	not t.from in ids
}

deny contains {
	"rule": "lifecycle.transition-stage",
	"message": sprintf("transition to '%v' names no stage of this model%s", [to, lib.suggest(to, ids)]),
	"path": sprintf("spec.transitions[%d].to[%d]", [i, j]),
} if {
	input.kind == "LifecycleModel"
	some i, t in transitions
	some j, to in t.to
	not to in ids
}

# METADATA
# description: Every stage can be reached from the first stage.
# custom:
#   id: lifecycle.unreachable-stage
deny contains {
	"rule": "lifecycle.unreachable-stage",
	"message": sprintf("stage '%v' cannot be reached from the first stage '%v': no transition leads to it", [s.id, stage_ids[0]]),
	"path": sprintf("spec.stages[%d].id", [i]),
} if {
	input.kind == "LifecycleModel"
	some i, s in stages
	i > 0
	not s.deprecated
	not s.id in reachable
}

# METADATA
# description: Every stage that is not terminal has a way out.
# custom:
#   id: lifecycle.dead-end
deny contains {
	"rule": "lifecycle.dead-end",
	"message": sprintf("stage '%v' is not terminal but has no way out: add a transition from it, or mark it terminal: true", [s.id]),
	"path": sprintf("spec.stages[%d]", [i]),
} if {
	input.kind == "LifecycleModel"
	some i, s in stages
	not s.terminal
	not s.deprecated
	count({to | some to in targets(s.id); to in ids}) == 0
}

# METADATA
# description: A deprecated stage names in replacedBy an active stage of the same model, where its records move.
# custom:
#   id: lifecycle.replaced-by
deny contains {
	"rule": "lifecycle.replaced-by",
	"message": sprintf("deprecated stage '%v' needs replacedBy: the active stage of this model its records move to", [s.id]),
	"path": sprintf("spec.stages[%d]", [i]),
} if {
	input.kind == "LifecycleModel"
	some i, s in stages
	s.deprecated == true
	not s.replacedBy
}

deny contains {
	"rule": "lifecycle.replaced-by",
	"message": sprintf("replacedBy '%v' is not an active stage of lifecycle model %s%s", [s.replacedBy, input.metadata.name, lib.suggest(s.replacedBy, active)]),
	"path": sprintf("spec.stages[%d].replacedBy", [i]),
} if {
	input.kind == "LifecycleModel"
	some i, s in stages
	s.replacedBy
	not s.replacedBy in active
}

# METADATA
# description: No transition leads to a deprecated stage; its records move to its replacedBy.
# custom:
#   id: lifecycle.deprecated-target
deny contains {
	"rule": "lifecycle.deprecated-target",
	"message": sprintf("transition to '%v' leads to a deprecated stage; lead to its replacement '%v' instead", [to, replaced[to]]),
	"path": sprintf("spec.transitions[%d].to[%d]", [i, j]),
} if {
	input.kind == "LifecycleModel"
	some i, t in transitions
	some j, to in t.to
	replaced[to]
}

# replaced maps each deprecated stage to its replacedBy.
replaced := {s.id: object.get(s, "replacedBy", "?") | some s in stages; s.deprecated}

# METADATA
# description: A stage's sla names an existing SLA.
# custom:
#   id: lifecycle.stage-sla
deny contains {
	"rule": "lifecycle.stage-sla",
	"message": sprintf("stage '%v' names SLA '%v', which does not exist%s", [s.id, s.sla, lib.suggest(s.sla, object.keys(slas))]),
	"path": sprintf("spec.stages[%d].sla", [i]),
} if {
	input.kind == "LifecycleModel"
	some i, s in stages
	s.sla
	not slas[s.sla]
}

# METADATA
# description: A stage's sla names an SLA of type stage-response.
# custom:
#   id: lifecycle.stage-sla-type
warn contains {
	"rule": "lifecycle.stage-sla-type",
	"message": sprintf("stage '%v' names SLA '%v' of type %v; stages take stage-response SLAs", [s.id, s.sla, slas[s.sla].spec.type]),
	"path": sprintf("spec.stages[%d].sla", [i]),
} if {
	input.kind == "LifecycleModel"
	some i, s in stages
	slas[s.sla].spec.type != "stage-response"
}

# METADATA
# description: Every binding names a system declared in mops.yaml spec.systems.
# custom:
#   id: lifecycle.binding-system
deny contains {
	"rule": "lifecycle.binding-system",
	"message": p.message,
	"path": p.path,
} if {
	input.kind == "LifecycleModel"
	some p in lib.binding_problems
}
