# METADATA
# title: RACI
# description: Rules for RACI documents (roles, and who does what for each kind of change).
package mops.raci

import data.mops.lib

roles := object.get(input.spec, "roles", [])

activities := object.get(input.spec, "activities", [])

kinds := {"Project", "Taxonomy", "LifecycleModel", "NamingConvention", "RACI", "SLA", "ConsentPolicy", "Campaign"}

# role_refs: every role an activity names, with where and how.
role_refs contains {"path": sprintf("spec.activities[%d].%s[%d]", [i, field, j]), "activity": a.id, "field": field, "role": r} if {
	some i, a in activities
	some field in ["responsible", "consulted", "informed"]
	some j, r in object.get(a, field, [])
}

role_refs contains {"path": sprintf("spec.activities[%d].accountable", [i]), "activity": a.id, "field": "accountable", "role": a.accountable} if {
	some i, a in activities
	is_string(a.accountable)
}

# governs: every (RACI document, activity, kind) of the repository.
governs contains {"raci": name, "index": i, "activity": a.id, "kind": k} if {
	some name, doc in object.get(input.index, "RACI", {})
	some i, a in doc.spec.activities
	some k in a.governs
}

# role_defs: every role definition of the repository.
role_defs contains {"raci": name, "index": i, "id": r.id} if {
	some name, doc in object.get(input.index, "RACI", {})
	some i, r in doc.spec.roles
}

# before(a, b): definition a comes before b (by RACI name, then position).
before(a, b) if a.raci < b.raci

before(a, b) if {
	a.raci == b.raci
	a.index < b.index
}

# METADATA
# description: Every role an activity names (responsible, accountable, consulted, informed) is defined.
# custom:
#   id: raci.unknown-role
deny contains {
	"rule": "raci.unknown-role",
	"message": sprintf("activity '%v' names %s role '%v', which no RACI defines%s", [ref.activity, ref.field, ref.role, lib.suggest(ref.role, lib.role_ids)]),
	"path": ref.path,
} if {
	input.kind == "RACI"
	some ref in role_refs
	not lib.roles[ref.role]
}

# METADATA
# description: Every activity has exactly one accountable role.
# custom:
#   id: raci.accountable
deny contains {
	"rule": "raci.accountable",
	"message": sprintf("activity '%v' needs exactly one accountable role, written as a single role id", [a.id]),
	"path": sprintf("spec.activities[%d]", [i]),
} if {
	input.kind == "RACI"
	some i, a in activities
	not is_string(object.get(a, "accountable", null))
}

# METADATA
# description: Every activity has at least one responsible role.
# custom:
#   id: raci.responsible
deny contains {
	"rule": "raci.responsible",
	"message": sprintf("activity '%v' needs at least one responsible role", [a.id]),
	"path": sprintf("spec.activities[%d]", [i]),
} if {
	input.kind == "RACI"
	some i, a in activities
	count(object.get(a, "responsible", [])) == 0
}

# METADATA
# description: A kind is governed by at most one activity across all RACI documents.
# custom:
#   id: raci.duplicate-governance
deny contains {
	"rule": "raci.duplicate-governance",
	"message": sprintf("kind %v is already governed by activity '%v' (RACI %v); a kind is governed by one activity", [k, first[2], first[0]]),
	"path": sprintf("spec.activities[%d].governs[%d]", [i, j]),
} if {
	input.kind == "RACI"
	some i, a in activities
	some j, k in a.governs
	me := {"raci": input.metadata.name, "index": i}
	earlier := sort([[g.raci, g.index, g.activity] | some g in governs; g.kind == k; before(g, me)])
	count(earlier) > 0
	first := earlier[0]
}

# METADATA
# description: A kind named in governs is a mops kind.
# custom:
#   id: raci.governs-kind
deny contains {
	"rule": "raci.governs-kind",
	"message": sprintf("activity '%v' governs '%v', which is not a kind%s", [a.id, k, lib.suggest(k, kinds)]),
	"path": sprintf("spec.activities[%d].governs[%d]", [i, j]),
} if {
	input.kind == "RACI"
	some i, a in activities
	some j, k in a.governs
	not k in kinds
}

# METADATA
# description: A role id is defined once across all RACI documents.
# custom:
#   id: raci.duplicate-role
deny contains {
	"rule": "raci.duplicate-role",
	"message": sprintf("role '%v' is defined twice; it is first defined in RACI %v", [r.id, first[0]]),
	"path": sprintf("spec.roles[%d].id", [i]),
} if {
	input.kind == "RACI"
	some i, r in roles
	me := {"raci": input.metadata.name, "index": i}
	earlier := sort([[d.raci, d.index] | some d in role_defs; d.id == r.id; before(d, me)])
	count(earlier) > 0
	first := earlier[0]
}

# METADATA
# description: A role member written as a string is a GitHub @user or @org/team, or an email address (a person written as a mapping has its identities checked by the JSON Schema).
# custom:
#   id: raci.member-format
deny contains {
	"rule": "raci.member-format",
	"message": sprintf("member '%v' of role '%v' is neither a GitHub @user or @org/team nor an email address", [m, r.id]),
	"path": sprintf("spec.roles[%d].members[%d]", [i, j]),
} if {
	input.kind == "RACI"
	some i, r in roles
	some j, m in object.get(r, "members", [])
	not member_ok(m)
}

member_ok(m) if regex.match(`^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$`, m)

member_ok(m) if regex.match(`^[^@\s]+@[^@\s]+\.[^@\s]+$`, m)

member_ok(m) if is_object(m)
