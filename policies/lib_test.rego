package mops.lib_test

import data.mops.fixtures_test as fx
import data.mops.lib

test_closest if {
	mops.closest("EMAE", ["amer", "emea"]) == "emea"
	mops.closest("hubspot-prd", {"sandbox", "hubspot-prod"}) == "hubspot-prod"
	mops.closest("zzz", ["amer", "emea"]) == ""
}

test_business_days if {
	mops.business_days("2027-01-05", "2027-01-20") == 11
	mops.business_days("2027-01-08", "2027-01-11") == 1 # Friday to Monday
	mops.business_days("2027-01-20", "2027-01-05") == -11
	mops.days_between("2027-01-05", "2027-01-20") == 15
}

test_duration_days if {
	mops.duration_days("10bd") == {"days": 10, "business": true}
	mops.duration_days("36h") == {"days": 1.5, "business": false}
	not mops.duration_days("soon")
}

test_template_match if {
	res := mops.template_match(fx.naming.spec, {"region": fx.taxonomy("region", ["emea"]), "channel": fx.taxonomy("channel", ["email"])}, "FY27-Q1-emea-email-spring_launch", "")
	res.ok
	res.tokens == {"fy": "FY27", "quarter": "Q1", "region": "emea", "channel": "email", "slug": "spring_launch"}
	bad := mops.template_match(fx.naming.spec, {"region": fx.taxonomy("region", ["emea"]), "channel": fx.taxonomy("channel", ["email"])}, "FY27-Q1-emae-email-spring_launch", "")
	not bad.ok
	[p | some p in bad.problems] == [{"token": "region", "text": "emae", "reason": "taxonomy", "allowed": ["emea"], "suggestion": "emea", "message": "region 'emae' is not a value of taxonomy region; did you mean 'emea'? (allowed: emea)"}]
}

test_taxonomy_refs_defaults_and_override if {
	lib.taxonomy_refs.region == "region" with input as fx.input_for(fx.campaign)
	project := fx.with_spec(fx.project, {"taxonomyRefs": {"region": "sales-region"}})
	refs := lib.taxonomy_refs with input as fx.input_in(fx.campaign, fx.replace(fx.docs, project))
	refs.region == "sales-region"
	refs.channel == "channel"
}

test_inactive_value if {
	inp := fx.input_for(fx.campaign)
	lib.inactive_value("x", "lead-source", "trade_show") == "x 'trade_show' is deprecated in taxonomy lead-source; use 'event' (its replacedBy)" with input as inp
	not lib.inactive_value("x", "lead-source", "event") with input as inp
	not lib.inactive_value("x", "no-such-taxonomy", "event") with input as inp
}
