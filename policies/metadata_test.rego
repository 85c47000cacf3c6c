package mops.metadata_test

import data.mops.fixtures_test as fx
import data.mops.metadata

deny_for(doc) := fs if {
	fs := metadata.deny with input as fx.input_for(doc)
}

test_owner_is_a_role if {
	count(deny_for(object.union(fx.eu_gdpr, {"metadata": {"owner": "mops-lead"}}))) == 0
	count(deny_for(fx.eu_gdpr)) == 0
}

test_owner_not_a_role if {
	fs := deny_for(object.union(fx.eu_gdpr, {"metadata": {"owner": "legal"}}))
	fx.paths_of(fs, "metadata.owner") == {"metadata.owner"}
}

test_campaigns_are_left_to_campaign_owner if {
	count(deny_for(object.union(fx.campaign, {"metadata": {"owner": "legal"}}))) == 0
}
