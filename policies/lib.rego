# METADATA
# title: Helpers shared by the built-in policies
# description: >-
#   Lookups into input.index (taxonomy values, RACI roles, Project systems,
#   naming conventions) and message helpers. This package has no deny or warn
#   rules, so it is never evaluated on its own. Repository policies may import
#   it (import data.mops.lib). Every rule here that reads only input.index,
#   input.project and input.today is computed once per run, not once per
#   document.
package mops.lib

# default_taxonomy_refs says which Taxonomy backs each taxonomy-backed
# campaign field unless mops.yaml spec.taxonomyRefs says otherwise.
default_taxonomy_refs := {
	"channel": "channel",
	"region": "region",
	"campaignType": "campaign-type",
	"leadSource": "lead-source",
	"utmMedium": "utm-medium",
	"utmSource": "utm-source",
}

# taxonomy_refs: campaign field -> Taxonomy name, the Project's over the defaults.
taxonomy_refs := object.union(default_taxonomy_refs, object.get(input.project, ["spec", "taxonomyRefs"], {}))

# taxonomies: Taxonomy documents by name.
taxonomies := object.get(input.index, "Taxonomy", {})

# values: taxonomy name -> value -> its entry ({value, label, deprecated, ...}).
# The first entry wins when a value is listed twice (taxonomy.duplicate-value).
values := {name: mops.index_by(object.get(t, ["spec", "values"], []), "value") | some name, t in taxonomies}

# active: taxonomy name -> the set of its active (not deprecated) values.
active := {name: {v | some v, e in entries; not e.deprecated} | some name, entries in values}

# active_values(name): the active values of taxonomy name, in order (for messages).
active_values(name) := [v.value | some v in taxonomies[name].spec.values; not v.deprecated]

# unknown_value(label, name, x) is a message when x is not a value of taxonomy
# name (deprecated values count as values); undefined otherwise and when the
# taxonomy does not exist.
unknown_value(label, name, x) := msg if {
	entries := values[name]
	not entries[x]
	msg := sprintf("%s '%v' is not a value of taxonomy %s%s", [label, x, name, suggest(x, active_values(name))])
}

# inactive_value(label, name, x) is a message when x is not an active value of
# taxonomy name: unknown, or deprecated (naming its replacedBy).
inactive_value(label, name, x) := unknown_value(label, name, x)

inactive_value(label, name, x) := msg if {
	entry := values[name][x]
	entry.deprecated == true
	msg := sprintf("%s '%v' is deprecated in taxonomy %s; use '%v' (its replacedBy)", [label, x, name, object.get(entry, "replacedBy", "?")])
}

# suggest(x, candidates) is "; did you mean 'c'?" for the closest candidate, or "".
suggest(x, candidates) := sprintf("; did you mean '%s'?", [s]) if {
	is_string(x)
	s := mops.closest(x, candidates)
	s != ""
	s != x
} else := ""

# roles: RACI role id -> role, over every RACI document.
roles := object.union_n([mops.index_by(object.get(raci, ["spec", "roles"], []), "id") | some raci in object.get(input.index, "RACI", {})])

# role_ids: the ids of every RACI role, sorted.
role_ids := sort(object.keys(roles))

# role_problem(what, x) is a message when x is not a RACI role.
role_problem(what, x) := msg if {
	not roles[x]
	msg := sprintf("%s '%v' is not a RACI role%s%s", [what, x, suggest(x, role_ids), known(" (roles: %s)", role_ids)])
}

# consent_policies: ConsentPolicy documents by name.
consent_policies := object.get(input.index, "ConsentPolicy", {})

# systems: the names of the Project's systems.
systems contains s.name if {
	some s in object.get(input.project, ["spec", "systems"], [])
}

# binding_problems: bindings of the current document whose system is not a
# Project system, as {path, message}.
binding_problems contains {"path": sprintf("spec.bindings[%d].system", [i]), "message": msg} if {
	some i, b in object.get(input.spec, "bindings", [])
	not b.system in systems
	msg := sprintf("binding system '%v' is not a system of the Project%s%s", [b.system, suggest(b.system, systems), known(" (mops.yaml spec.systems: %s)", systems)])
}

# known(format, xs) lists xs (sorted) into format, or says there are none.
known(format, xs) := sprintf(format, [concat(", ", sort(xs))]) if count(xs) > 0

known(_, xs) := " (there are none)" if count(xs) == 0

# naming_items: every appliesTo entry of every NamingConvention, with the
# field's path split up front.
naming_items contains {
	"name": name,
	"spec": conv.spec,
	"kind": item.kind,
	"field": item.field,
	"segments": split(item.field, "."),
	"transform": object.get(item, "transform", ""),
} if {
	some name, conv in object.get(input.index, "NamingConvention", {})
	some item in conv.spec.appliesTo
}

# conventions: kind -> the naming_items that govern documents of that kind.
conventions := {kind: [c | some c in naming_items; c.kind == kind] | some kind in {c.kind | some c in naming_items}}

# naming_problems: fields of the current document that break a
# NamingConvention naming its kind in appliesTo, as {path, message}.
# (mops.naming_problems runs mops.template_match on each field, in one call
# per document.)
naming_problems contains p if {
	some p in mops.naming_problems(conventions[input.kind], taxonomies, input)
}

# first_index(xs, x) is the first index at which x occurs in array xs.
first_index(xs, x) := min({i | some i, y in xs; y == x})

# derived_items: every spec.derived entry of every NamingConvention: a field
# whose value follows from another (from), as it is or through a template of
# the convention's tokens, then transformed. Both paths are split up front,
# once per run.
derived_items contains {
	"convention": name,
	"spec": conv.spec,
	"kind": item.kind,
	"field": item.field,
	"field_segments": split(item.field, "."),
	"from": item.from,
	"from_segments": split(item.from, "."),
	"template": object.get(item, "template", ""),
	"transform": object.get(item, "transform", ""),
} if {
	some name, conv in object.get(input.index, "NamingConvention", {})
	some item in object.get(conv.spec, "derived", [])
}

# derived: kind -> the derived_items for documents of that kind.
derived := {kind: [d | some d in derived_items; d.kind == kind] | some kind in {d.kind | some d in derived_items}}

# derived_problems: derived fields of the current document that do not hold
# their derived value, as {convention, field, from, how, have, want}. A
# template derivation needs every token it uses split out of the from field;
# when the from field does not follow the template, campaign.naming (or
# naming.*) reports that instead.
derived_problems contains {
	"convention": d.convention,
	"field": d.field,
	"from": d.from,
	"how": derivation(d),
	"have": have,
	"want": want,
} if {
	some d in derived[input.kind]
	src := object.get(input, d.from_segments, null)
	is_string(src)
	want := transformed(d.transform, derive(d, src))
	have := object.get(input, d.field_segments, "(missing)")
	have != want
}

derive(d, src) := src if d.template == ""

derive(d, src) := strings.replace_n({sprintf("{%s}", [t]): m.tokens[t] | some t in template_tokens(d.template)}, d.template) if {
	d.template != ""
	m := mops.template_match(d.spec, taxonomies, src, "")
	every t in template_tokens(d.template) {
		is_string(m.tokens[t])
	}
}

template_tokens(template) := {m[1] | some m in regex.find_all_string_submatch_n(`\{([^{}]+)\}`, template, -1)}

transformed("lower", s) := lower(s)

transformed("upper", s) := upper(s)

transformed("", s) := s

derivation(d) := "as it is" if {
	d.template == ""
	d.transform == ""
}

derivation(d) := sprintf("in %s case", [d.transform]) if {
	d.template == ""
	d.transform != ""
}

derivation(d) := sprintf("template %s", [d.template]) if {
	d.template != ""
	d.transform == ""
}

derivation(d) := sprintf("template %s in %s case", [d.template, d.transform]) if {
	d.template != ""
	d.transform != ""
}
