# METADATA
# title: ConsentPolicy
# description: Rules for ConsentPolicy documents (which channels may reach which regions, on what basis).
package mops.consent

import data.mops.lib

regions := object.get(input.spec, "regions", [])

# METADATA
# description: No two consent policies cover the same region, and no policy lists a region twice.
# custom:
#   id: consent.region-overlap
deny contains {
	"rule": "consent.region-overlap",
	"message": sprintf("region '%v' is also covered by ConsentPolicy %v; a region has exactly one consent policy", [r, name]),
	"path": sprintf("spec.regions[%d]", [i]),
} if {
	input.kind == "ConsentPolicy"
	some i, r in regions
	some name, other in object.get(input.index, "ConsentPolicy", {})
	name != input.metadata.name
	r in other.spec.regions
}

deny contains {
	"rule": "consent.region-overlap",
	"message": sprintf("region '%v' is listed twice; it is first at spec.regions[%d]", [r, first]),
	"path": sprintf("spec.regions[%d]", [i]),
} if {
	input.kind == "ConsentPolicy"
	some i, r in regions
	first := lib.first_index(regions, r)
	first < i
}

# METADATA
# description: Every region is a value of the region taxonomy (mops.yaml taxonomyRefs.region).
# custom:
#   id: consent.region-value
deny contains {
	"rule": "consent.region-value",
	"message": msg,
	"path": sprintf("spec.regions[%d]", [i]),
} if {
	input.kind == "ConsentPolicy"
	some i, r in regions
	msg := lib.unknown_value("region", lib.taxonomy_refs.region, r)
}

# METADATA
# description: Every channel key is a value of the channel taxonomy (mops.yaml taxonomyRefs.channel).
# custom:
#   id: consent.channel-value
deny contains {
	"rule": "consent.channel-value",
	"message": msg,
	"path": sprintf("spec.channels.%s", [ch]),
} if {
	input.kind == "ConsentPolicy"
	some ch, _ in object.get(input.spec, "channels", {})
	msg := lib.unknown_value("channel", lib.taxonomy_refs.channel, ch)
}
