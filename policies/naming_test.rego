package mops.naming_test

import data.mops.fixtures_test as fx
import data.mops.naming

findings(doc) := fs if {
	deny := naming.deny with input as fx.input_for(doc)
	warn := naming.warn with input as fx.input_for(doc)
	fs := deny | warn
}

findings_in(doc, docs) := fs if {
	fs := naming.deny with input as fx.input_in(doc, docs)
}

convention(template, tokens) := fx.with_spec(json.remove(fx.naming, ["spec/tokens"]), {"template": template, "tokens": tokens})

test_base_convention_passes if {
	count(findings(fx.naming)) == 0
}

test_unknown_token if {
	doc := convention("{region}-{audiance}", {"region": {"taxonomy": "region"}, "audience": {}})
	some f in findings(doc)
	f.rule == "naming.unknown-token"
	f.message == "template names token {audiance}, which spec.tokens does not define; did you mean 'audience'?"
}

test_unused_token if {
	doc := convention("{region}", {"region": {"taxonomy": "region"}, "fy": {}})
	fx.paths_of(findings(doc), "naming.unused-token") == {"spec.tokens.fy"}
}

test_token_taxonomy if {
	doc := convention("{region}", {"region": {"taxonomy": "regions"}})
	fx.paths_of(findings(doc), "naming.token-taxonomy") == {"spec.tokens.region.taxonomy"}
}

test_token_pattern if {
	doc := convention("{x}", {"x": {"pattern": "[a-z+"}})
	fx.paths_of(findings(doc), "naming.token-pattern") == {"spec.tokens.x.pattern"}
}

sla_code := {
	"apiVersion": "mops.dev/v1",
	"kind": "NamingConvention",
	"metadata": {"name": "sla-code"},
	"spec": {
		"appliesTo": [{"kind": "SLA", "field": "metadata.labels.code"}],
		"template": "{region}-{slug}",
		"tokens": {"region": {"taxonomy": "region"}, "slug": {"pattern": "[a-z-]+"}},
	},
}

test_follow_other_kinds if {
	docs := fx.replace(fx.docs, sla_code)
	good := object.union(fx.sla("a", "request-turnaround", "3d"), {"metadata": {"labels": {"code": "emea-requests"}}})
	count(findings_in(good, docs)) == 0
	bad := object.union(good, {"metadata": {"labels": {"code": "emae-requests"}}})
	fx.paths_of(findings_in(bad, docs), "naming.follow") == {"metadata.labels.code"}
}

test_follow_leaves_campaigns_to_campaign_naming if {
	doc := fx.with_spec(fx.campaign, {"name": "bad"})
	count(findings(doc)) == 0
}

test_derived_template_unknown_token if {
	doc := object.union(fx.naming, {"spec": {"derived": [{"kind": "Campaign", "field": "spec.utm.campaign", "from": "spec.name", "template": "{fy}-{slugg}"}]}})
	fs := naming.deny with input as fx.input_for(doc)
	fx.paths_of(fs, "naming.derived-token") == {"spec.derived[0].template"}
}
