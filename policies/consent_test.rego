package mops.consent_test

import data.mops.consent
import data.mops.fixtures_test as fx

deny_for(doc) := fs if {
	fs := consent.deny with input as fx.input_for(doc)
}

policy(name, regions, channels) := {"apiVersion": "mops.dev/v1", "kind": "ConsentPolicy", "metadata": {"name": name}, "spec": {"regions": regions, "channels": channels}}

test_base_policy_passes if {
	count(deny_for(fx.eu_gdpr)) == 0
}

test_region_overlap if {
	doc := policy("uk", ["apac", "emea", "apac"], {})
	fx.paths_of(deny_for(doc), "consent.region-overlap") == {"spec.regions[1]", "spec.regions[2]"}
	some f in deny_for(doc)
	f.message == "region 'emea' is also covered by ConsentPolicy eu-gdpr; a region has exactly one consent policy"
}

test_region_value if {
	doc := policy("apac", ["apak"], {})
	some f in deny_for(doc)
	f.rule == "consent.region-value"
	f.message == "region 'apak' is not a value of taxonomy region; did you mean 'apac'?"
}

test_channel_value if {
	doc := policy("apac", ["apac"], {"email": {"allowed": true}, "whatsapp": {"allowed": false}})
	fx.paths_of(deny_for(doc), "consent.channel-value") == {"spec.channels.whatsapp"}
}
