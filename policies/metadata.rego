# METADATA
# title: Metadata
# description: Rules for the metadata every document shares.
package mops.metadata

import data.mops.lib

# METADATA
# description: A document's metadata.owner is a RACI role (for campaigns see campaign.owner).
# custom:
#   id: metadata.owner
deny contains {
	"rule": "metadata.owner",
	"message": msg,
	"path": "metadata.owner",
} if {
	input.kind != "Campaign"
	owner := input.metadata.owner
	msg := lib.role_problem("owner", owner)
}
