# METADATA
# title: Changes
# description: >-
#   Rules about how a document changed since the base revision. They apply
#   only when validate runs with --changed-since REF or --base REF: the
#   engine then gives each document that existed at REF as input.base.
package mops.change

base_spec := object.get(input, ["base", "spec"], {})

base_values := {v.value: v | some v in object.get(base_spec, "values", []); is_string(v.value)}

head_values := {v.value | some v in object.get(input.spec, "values", [])}

# METADATA
# description: A taxonomy value is not removed outright; deprecate it with replacedBy first, so records move to its replacement.
# custom:
#   id: change.value-removed
deny contains {
	"rule": "change.value-removed",
	"message": sprintf("value '%s' was removed from taxonomy %s; records in live systems still hold it. Keep it with deprecated: true and replacedBy: <value> so mops migrates them, and remove it in a later change", [value, input.metadata.name]),
	"path": "spec.values",
} if {
	input.kind == "Taxonomy"
	some value, v in base_values
	not value in head_values
	not v.deprecated
}

base_stages := [s | some s in object.get(base_spec, "stages", []); is_string(s.id)]

head_stage_ids := {s.id | some s in object.get(input.spec, "stages", [])}

renamed(old) := [i, s.id] if {
	some i, s in object.get(input.spec, "stages", [])
	s.label == old.label
	s.id != old.id
}

# METADATA
# description: A lifecycle stage's id never changes; records store it, so a new id orphans them.
# custom:
#   id: change.stage-id
deny contains {
	"rule": "change.stage-id",
	"message": sprintf("stage id '%s' was changed to '%s'; records store stage ids, so keep '%s' (change the label instead)", [old.id, new, old.id]),
	"path": sprintf("spec.stages[%d].id", [i]),
} if {
	input.kind == "LifecycleModel"
	some old in base_stages
	not old.id in head_stage_ids
	[i, new] := renamed(old)
}

deny contains {
	"rule": "change.stage-id",
	"message": sprintf("stage '%s' was removed; records at that stage would be left with an invalid value. Keep it with deprecated: true and replacedBy: <stage> so mops moves its records, and remove it in a later change", [old.id]),
	"path": "spec.stages",
} if {
	input.kind == "LifecycleModel"
	some old in base_stages
	not old.id in head_stage_ids
	not renamed(old)
	not old.deprecated
}

opt_in_rank := {"none": 0, "single": 1, "double": 2}

base_channels := object.get(base_spec, "channels", {})

head_channels := object.get(input.spec, "channels", {})

# accountable names the RACI role accountable for consent policies.
accountable := role if {
	some raci in object.get(input.index, "RACI", {})
	some a in object.get(raci, ["spec", "activities"], [])
	"ConsentPolicy" in object.get(a, "governs", [])
	role := a.accountable
}

sign_off := sprintf("needs sign-off from role %s, accountable for consent policies", [accountable])

sign_off := "no RACI activity governs ConsentPolicy, so nobody is accountable for it: add one" if not accountable

loosened contains {"channel": ch, "what": sprintf("channel %s is now allowed", [ch]), "path": sprintf("spec.channels.%s.allowed", [ch])} if {
	input.base
	some ch, c in head_channels
	c.allowed == true
	not object.get(base_channels, [ch, "allowed"], false) == true
}

loosened contains {"channel": ch, "what": sprintf("lawful basis %s was added to channel %s", [basis, ch]), "path": sprintf("spec.channels.%s.lawfulBasis", [ch])} if {
	some ch, c in head_channels
	object.get(base_channels, [ch, "allowed"], false) == true
	some basis in object.get(c, "lawfulBasis", [])
	not basis in object.get(base_channels, [ch, "lawfulBasis"], [])
}

loosened contains {"channel": ch, "what": sprintf("opt-in for channel %s was lowered from %s to %s", [ch, before, after]), "path": sprintf("spec.channels.%s.optIn", [ch])} if {
	some ch, c in head_channels
	after := c.optIn
	before := base_channels[ch].optIn
	opt_in_rank[after] < opt_in_rank[before]
}

# METADATA
# description: Loosening a consent policy (allowing a channel, adding a lawful basis, lowering opt-in) is flagged for the RACI accountable role.
# custom:
#   id: change.consent-loosened
#   severity: warn
warn contains {
	"rule": "change.consent-loosened",
	"message": sprintf("consent policy %s is loosened: %s; this is compliance-relevant and %s", [input.metadata.name, l.what, sign_off]),
	"path": l.path,
} if {
	input.kind == "ConsentPolicy"
	some l in loosened
}
