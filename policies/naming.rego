# METADATA
# title: NamingConvention
# description: >-
#   Rules for NamingConvention documents, and for documents other than
#   Campaigns that a convention's appliesTo names (campaigns: campaign.naming).
package mops.naming

import data.mops.lib

tokens := object.get(input.spec, "tokens", {})

template_tokens := {m[1] | some m in regex.find_all_string_submatch_n(`\{([^{}]+)\}`, input.spec.template, -1)}

# METADATA
# description: Every {token} of the template is defined in spec.tokens.
# custom:
#   id: naming.unknown-token
deny contains {
	"rule": "naming.unknown-token",
	"message": sprintf("template names token {%s}, which spec.tokens does not define%s", [t, lib.suggest(t, object.keys(tokens))]),
	"path": "spec.template",
} if {
	input.kind == "NamingConvention"
	some t in template_tokens
	not t in object.keys(tokens)
}

# METADATA
# description: Every token defined in spec.tokens is used by the template.
# custom:
#   id: naming.unused-token
warn contains {
	"rule": "naming.unused-token",
	"message": sprintf("token %s is defined but the template %s does not use it", [name, input.spec.template]),
	"path": sprintf("spec.tokens.%s", [name]),
} if {
	input.kind == "NamingConvention"
	some name, _ in tokens
	not name in template_tokens
}

# METADATA
# description: A token's taxonomy names an existing Taxonomy.
# custom:
#   id: naming.token-taxonomy
deny contains {
	"rule": "naming.token-taxonomy",
	"message": sprintf("token %s takes values of taxonomy '%v', which does not exist%s", [name, tok.taxonomy, lib.suggest(tok.taxonomy, object.keys(lib.taxonomies))]),
	"path": sprintf("spec.tokens.%s.taxonomy", [name]),
} if {
	input.kind == "NamingConvention"
	some name, tok in tokens
	tok.taxonomy
	not lib.taxonomies[tok.taxonomy]
}

# METADATA
# description: A token's pattern is a valid regular expression (RE2 syntax).
# custom:
#   id: naming.token-pattern
deny contains {
	"rule": "naming.token-pattern",
	"message": sprintf("token %s has pattern %v, which is not a valid regular expression (RE2 syntax)", [name, tok.pattern]),
	"path": sprintf("spec.tokens.%s.pattern", [name]),
} if {
	input.kind == "NamingConvention"
	some name, tok in tokens
	is_string(tok.pattern)
	not regex.is_valid(tok.pattern)
}

# METADATA
# description: >-
#   A field of a document of a kind other than Campaign that a convention's
#   appliesTo names follows that convention.
# custom:
#   id: naming.follow
deny contains {
	"rule": "naming.follow",
	"message": p.message,
	"path": p.path,
} if {
	input.kind != "Campaign"
	some p in lib.naming_problems
}

# METADATA
# description: >-
#   Every {token} of a spec.derived template is a token of the convention's
#   own template, so it can be split out of the from field.
# custom:
#   id: naming.derived-token
deny contains {
	"rule": "naming.derived-token",
	"message": sprintf("derived template %s names token {%s}, which the template %s does not have%s", [d.template, t, input.spec.template, lib.suggest(t, template_tokens)]),
	"path": sprintf("spec.derived[%d].template", [i]),
} if {
	input.kind == "NamingConvention"
	some i, d in object.get(input.spec, "derived", [])
	some t in lib.template_tokens(d.template)
	not t in template_tokens
}
