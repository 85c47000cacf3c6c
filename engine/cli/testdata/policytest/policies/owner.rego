package mops.acme.owner

deny contains f if {
	input.kind == "Campaign"
	not input.metadata.owner
	f := {"rule": "acme.owner", "message": "a campaign needs an owner", "path": "metadata"}
}
