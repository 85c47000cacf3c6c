# METADATA
# title: Taxonomy
# description: Rules for Taxonomy documents (controlled vocabularies, picklists in live systems).
package mops.taxonomy

import data.mops.lib

values := object.get(input.spec, "values", [])

value_case := object.get(input.spec, "valueCase", "snake_case")

known_cases := {"any", "snake_case", "kebab-case", "lower", "upper"}

case_ok("any", _) := true

case_ok("snake_case", s) if regex.match(`^[a-z0-9]+(_[a-z0-9]+)*$`, s)

case_ok("kebab-case", s) if regex.match(`^[a-z0-9]+(-[a-z0-9]+)*$`, s)

case_ok("lower", s) if s == lower(s)

case_ok("upper", s) if s == upper(s)

case_fix("snake_case", s) := trim(regex.replace(lower(s), `[^a-z0-9]+`, "_"), "_")

case_fix("kebab-case", s) := trim(regex.replace(lower(s), `[^a-z0-9]+`, "-"), "-")

case_fix("lower", s) := lower(s)

case_fix("upper", s) := upper(s)

active := {v.value | some v in values; not v.deprecated}

# METADATA
# description: Every value is written in the taxonomy's valueCase (snake_case unless set).
# custom:
#   id: taxonomy.value-case
deny contains {
	"rule": "taxonomy.value-case",
	"message": sprintf("value '%s' is not %s (the taxonomy's valueCase); write it as '%s'", [v.value, value_case, case_fix(value_case, v.value)]),
	"path": sprintf("spec.values[%d].value", [i]),
} if {
	input.kind == "Taxonomy"
	value_case in known_cases
	some i, v in values
	is_string(v.value)
	not case_ok(value_case, v.value)
}

# METADATA
# description: No value is listed twice in a taxonomy.
# custom:
#   id: taxonomy.duplicate-value
deny contains {
	"rule": "taxonomy.duplicate-value",
	"message": sprintf("value '%v' is listed twice; it is first at spec.values[%d]", [v.value, first]),
	"path": sprintf("spec.values[%d].value", [i]),
} if {
	input.kind == "Taxonomy"
	some i, v in values
	first := lib.first_index([w.value | some w in values], v.value)
	first < i
}

# METADATA
# description: A deprecated value names in replacedBy an active value of the same taxonomy, where its records move.
# custom:
#   id: taxonomy.replaced-by
deny contains {
	"rule": "taxonomy.replaced-by",
	"message": sprintf("deprecated value '%v' needs replacedBy: the active value of this taxonomy its records move to", [v.value]),
	"path": sprintf("spec.values[%d]", [i]),
} if {
	input.kind == "Taxonomy"
	some i, v in values
	v.deprecated == true
	not v.replacedBy
}

deny contains {
	"rule": "taxonomy.replaced-by",
	"message": sprintf("replacedBy '%v' is not an active value of taxonomy %s%s", [v.replacedBy, input.metadata.name, lib.suggest(v.replacedBy, active)]),
	"path": sprintf("spec.values[%d].replacedBy", [i]),
} if {
	input.kind == "Taxonomy"
	some i, v in values
	v.replacedBy
	not v.replacedBy in active
}

# METADATA
# description: Every binding names a system declared in mops.yaml spec.systems.
# custom:
#   id: taxonomy.binding-system
deny contains {
	"rule": "taxonomy.binding-system",
	"message": p.message,
	"path": p.path,
} if {
	input.kind == "Taxonomy"
	some p in lib.binding_problems
}
