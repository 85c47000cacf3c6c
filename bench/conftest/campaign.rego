# The yardstick: what a team writes by hand for conftest to check campaign
# files, with the vocabularies pasted in (conftest sees one file at a time,
# so it cannot read the taxonomies, conventions or consent policies the way
# mops does). It checks a fraction of what mops checks.
package main

regions := {"north_america", "emea", "apac", "latam"}

channels := {"email", "paid_search", "paid_social", "organic_social", "display", "webinar", "event",
	"content_syndication", "direct_mail", "partner", "sms"}

deny contains msg if {
	input.kind == "Campaign"
	some r in input.spec.regions
	not r in regions
	msg := sprintf("%s: region %s is not allowed", [input.metadata.name, r])
}

deny contains msg if {
	input.kind == "Campaign"
	not input.spec.channel in channels
	msg := sprintf("%s: channel %s is not allowed", [input.metadata.name, input.spec.channel])
}

deny contains msg if {
	input.kind == "Campaign"
	not regex.match(`^FY[0-9]{2}-Q[1-4]-[a-z_]+-[a-z_]+-[a-z0-9]+(_[a-z0-9]+)*$`, input.spec.name)
	msg := sprintf("%s: name %s does not follow the convention", [input.metadata.name, input.spec.name])
}

deny contains msg if {
	input.kind == "Campaign"
	input.spec.utm.campaign != lower(input.spec.name)
	msg := sprintf("%s: utm.campaign must be the lower-cased name", [input.metadata.name])
}

deny contains msg if {
	input.kind == "Campaign"
	input.spec.endDate < input.spec.launchDate
	msg := sprintf("%s: endDate before launchDate", [input.metadata.name])
}

deny contains msg if {
	input.kind == "Campaign"
	not input.metadata.owner
	msg := sprintf("%s: campaign needs an owner", [input.metadata.name])
}
