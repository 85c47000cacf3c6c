package mops.raci_test

import data.mops.fixtures_test as fx
import data.mops.raci

deny_for(doc) := fs if {
	fs := raci.deny with input as fx.input_for(doc)
}

second(spec) := {"apiVersion": "mops.dev/v1", "kind": "RACI", "metadata": {"name": "web"}, "spec": spec}

web_role := {"id": "web", "members": ["@acme/web"]}

test_base_raci_passes if {
	count(deny_for(fx.raci)) == 0
}

test_unknown_role if {
	doc := second({"roles": [web_role], "activities": [{"id": "x", "governs": [], "responsible": ["wbe"], "accountable": "mops-led", "informed": ["web"]}]})
	fx.paths_of(deny_for(doc), "raci.unknown-role") == {"spec.activities[0].responsible[0]", "spec.activities[0].accountable"}
}

test_accountable if {
	missing := second({"roles": [web_role], "activities": [{"id": "x", "governs": [], "responsible": ["web"]}]})
	fx.paths_of(deny_for(missing), "raci.accountable") == {"spec.activities[0]"}
	two := second({"roles": [web_role], "activities": [{"id": "x", "governs": [], "responsible": ["web"], "accountable": ["web", "mops-lead"]}]})
	fx.paths_of(deny_for(two), "raci.accountable") == {"spec.activities[0]"}
}

test_responsible if {
	doc := second({"roles": [web_role], "activities": [{"id": "x", "governs": [], "responsible": [], "accountable": "web"}]})
	fx.paths_of(deny_for(doc), "raci.responsible") == {"spec.activities[0]"}
}

test_duplicate_governance_reported_on_the_later_activity if {
	doc := second({"roles": [web_role], "activities": [{"id": "x", "governs": ["SLA", "Campaign"], "responsible": ["web"], "accountable": "web"}]})
	fx.paths_of(deny_for(doc), "raci.duplicate-governance") == {"spec.activities[0].governs[1]"}

	# the earlier document is not blamed
	fs := raci.deny with input as fx.input_in(fx.raci, fx.replace(fx.docs, doc))
	count(fs) == 0
}

test_duplicate_governance_within_one_document if {
	doc := second({"roles": [web_role], "activities": [
		{"id": "x", "governs": ["SLA"], "responsible": ["web"], "accountable": "web"},
		{"id": "y", "governs": ["SLA"], "responsible": ["web"], "accountable": "web"},
	]})
	fx.paths_of(deny_for(doc), "raci.duplicate-governance") == {"spec.activities[1].governs[0]"}
}

test_governs_kind if {
	doc := second({"roles": [web_role], "activities": [{"id": "x", "governs": ["Campain"], "responsible": ["web"], "accountable": "web"}]})
	some f in deny_for(doc)
	f.rule == "raci.governs-kind"
	contains(f.message, "did you mean 'Campaign'?")
}

test_duplicate_role if {
	doc := second({"roles": [web_role, {"id": "automation", "members": []}, web_role], "activities": []})
	fx.paths_of(deny_for(doc), "raci.duplicate-role") == {"spec.roles[1].id", "spec.roles[2].id"}
}

test_member_format if {
	doc := second({"roles": [{"id": "web", "members": ["@acme/web", "@dana", "dana@acme.example", "dana", "@acme/", "a b@c.d", {"email": "erin@acme.example", "github": "erin"}]}], "activities": []})
	fx.paths_of(deny_for(doc), "raci.member-format") == {"spec.roles[0].members[3]", "spec.roles[0].members[4]", "spec.roles[0].members[5]"}
}
