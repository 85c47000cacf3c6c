package mops.acme.owner_test

import data.mops.acme.owner

test_missing_owner_denied if {
	count(owner.deny) == 1 with input as {"kind": "Campaign", "metadata": {"name": "x"}}
}

# Deliberately wrong: a campaign with an owner is not denied, so this fails.
test_owner_present_denied if {
	count(owner.deny) == 1 with input as {"kind": "Campaign", "metadata": {"name": "x", "owner": "demand-gen"}}
}
