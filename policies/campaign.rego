# METADATA
# title: Campaign
# description: >-
#   What CI blocks when a campaign does not comply. Which taxonomy backs which
#   field comes from mops.yaml spec.taxonomyRefs (see mops.lib.default_taxonomy_refs);
#   a field is checked when its taxonomy exists. Written for speed: a
#   repository may hold 10,000 campaigns, so the checks read input.spec
#   directly and look values up in the run-wide tables of mops.lib.
package mops.campaign

import data.mops.lib

# taxonomy_fields: the campaign's single-valued taxonomy-backed fields, as
# field -> {taxonomyRefs key, label}.
taxonomy_fields := {
	"channel": {"ref": "channel", "label": "channel"},
	"type": {"ref": "campaignType", "label": "type"},
	"leadSource": {"ref": "leadSource", "label": "leadSource"},
}

utm_fields := {
	"medium": {"ref": "utmMedium", "label": "utm medium"},
	"source": {"ref": "utmSource", "label": "utm source"},
}

# checked_fields and checked_utm_fields: the fields above whose taxonomy
# exists, each with its taxonomy's name and active values (run-wide), so a
# campaign's check is one lookup per field.
checked_fields := checked(taxonomy_fields)

checked_utm_fields := checked(utm_fields)

checked(fields) := {field: {"label": f.label, "taxonomy": taxonomy, "active": lib.active[taxonomy]} |
	some field, f in fields
	taxonomy := lib.taxonomy_refs[f.ref]
}

# history: the campaign ended before today. What it ran with cannot be
# changed any more, so values deprecated since are not held against it.
history if {
	is_string(input.spec.endDate)
	input.spec.endDate < input.today
}

# spared: a deprecated value in this campaign is no finding. It is history,
# and the run either knows the change leaves its file alone
# (input.changed == false) or knows no base revision (input.changed is
# absent), in which case campaign.history-value warns instead.
spared if {
	history
	not input.changed == true
}

# value_problems: each taxonomy-backed field holding a value that is not an
# active value of its taxonomy, as {path, message, deprecated}.
value_problems contains {"path": concat(".", ["spec", field]), "value": value, "label": c.label, "taxonomy": c.taxonomy} if {
	some field, c in checked_fields
	value := input.spec[field]
	not c.active[value]
}

value_problems contains {"path": concat(".", ["spec.utm", field]), "value": value, "label": c.label, "taxonomy": c.taxonomy} if {
	some field, c in checked_utm_fields
	value := input.spec.utm[field]
	not c.active[value]
}

value_problems contains {"path": sprintf("spec.regions[%d]", [i]), "value": r, "label": "region", "taxonomy": taxonomy} if {
	taxonomy := lib.taxonomy_refs.region
	some i, r in input.spec.regions
	not lib.active[taxonomy][r]
}

deprecated(p) if lib.values[p.taxonomy][p.value].deprecated == true

# METADATA
# description: >-
#   Every taxonomy-backed field (channel, regions, type, leadSource, utm.medium,
#   utm.source) holds an active value of its taxonomy; a deprecated value is
#   refused, naming its replacedBy, unless the campaign is history (its
#   endDate has passed) and the change being checked leaves its file alone.
# custom:
#   id: campaign.taxonomy
deny contains {
	"rule": "campaign.taxonomy",
	"message": lib.inactive_value(p.label, p.taxonomy, p.value),
	"path": p.path,
} if {
	input.kind == "Campaign"
	some p in value_problems
	not spared_value(p)
}

spared_value(p) if {
	spared
	deprecated(p)
}

# METADATA
# description: >-
#   Without a base revision to tell which files a change touches, a
#   deprecated value in a campaign whose endDate has passed is a warning, not
#   a deny: history cannot be rewritten, and a pull request that edits the
#   file is still refused (validate --changed-since or --base).
# custom:
#   id: campaign.history-value
#   severity: warn
warn contains {
	"rule": "campaign.history-value",
	"message": sprintf("%s; the campaign ended on %v, so this is history and only a change to this file must fix it", [lib.inactive_value(p.label, p.taxonomy, p.value), input.spec.endDate]),
	"path": p.path,
} if {
	input.kind == "Campaign"
	history
	not "changed" in object.keys(input)
	some p in value_problems
	deprecated(p)
}

warn contains {
	"rule": "campaign.history-value",
	"message": sprintf("%s; the campaign ended on %v, so this is history and only a change to this file must fix it", [p.message, input.spec.endDate]),
	"path": p.path,
} if {
	input.kind == "Campaign"
	history
	not "changed" in object.keys(input)
	some p in lib.naming_problems
	p.deprecated == true
}

# METADATA
# description: >-
#   spec.name and spec.utm.campaign follow every NamingConvention whose
#   appliesTo names them (transform lower: the lower-case form of the
#   template); a token holding a deprecated value is spared in history as
#   campaign.taxonomy spares it.
# custom:
#   id: campaign.naming
deny contains {
	"rule": "campaign.naming",
	"message": p.message,
	"path": p.path,
} if {
	input.kind == "Campaign"
	some p in lib.naming_problems
	not spared_name(p)
}

spared_name(p) if {
	spared
	p.deprecated == true
}

# METADATA
# description: >-
#   Each field a NamingConvention derives (spec.derived, e.g. spec.utm.campaign
#   is spec.name in lower case) holds the derived value, and so does the
#   matching utm_ parameter of every link that still carries the field's
#   stale value; the message names the expected value.
# custom:
#   id: campaign.derived
deny contains {
	"rule": "campaign.derived",
	"message": sprintf("%s '%v' is not what naming convention %s derives from %s (%s): expected '%s'", [d.field, d.have, d.convention, d.from, d.how, d.want]),
	"path": d.field,
} if {
	input.kind == "Campaign"
	some d in lib.derived_problems
	not broken(d.from)
}

deny contains {
	"rule": "campaign.derived",
	"message": sprintf("link %d has %s=%v, the stale %s; naming convention %s derives '%s' from %s (%s)", [i + 1, param, d.have, d.field, d.convention, d.want, d.from, d.how]),
	"path": sprintf("spec.links[%d]", [i]),
} if {
	input.kind == "Campaign"
	some d in lib.derived_problems
	not broken(d.from)
	[_, key] := split_utm(d.field)
	param := concat("", ["utm_", key])
	some i, link in object.get(input.spec, "links", [])
	d.have in object.get(mops.url_query(link), param, [])
}

# METADATA
# description: >-
#   Each link carries exactly the UTM parameters spec.utm declares (utm_source,
#   utm_medium, utm_campaign, ...) with the declared values, and no others.
# custom:
#   id: campaign.utm-links
deny contains {
	"rule": "campaign.utm-links",
	"message": p.message,
	"path": sprintf("spec.links[%d]", [p.link]),
} if {
	input.kind == "Campaign"
	some p in mops.utm_link_problems(object.get(input.spec, "links", []), object.get(input.spec, "utm", {}))
}

# broken(field): field breaks a naming convention, so campaign.naming asks
# for it to be fixed first and nothing is derived from it yet.
broken(field) if {
	some p in lib.naming_problems
	p.path == field
}

# split_utm("spec.utm.campaign") is ["spec.utm", "campaign"].
split_utm(field) := ["spec.utm", key] if {
	startswith(field, "spec.utm.")
	key := substring(field, count("spec.utm."), -1)
	not contains(key, ".")
}

# consent: region -> names of the ConsentPolicies covering it (run-wide).
consent := {r: [name | some name, p in lib.consent_policies; r in p.spec.regions] |
	some p in lib.consent_policies
	some r in p.spec.regions
}

# consent_problems(regions, channel, basis, subscription_type) is the set of
# campaign.consent problems, as {path, message}, of a campaign reaching
# regions over channel with that audience consent basis and
# subscriptionType. It is a function of those four values only, so the
# engine evaluates it once per distinct combination and run: 10,000
# campaigns share a few dozen.
consent_problems(regions, channel, basis, subscription_type) := ((uncovered | refused) | wrong_basis) | wrong_type if {
	# rules: for each region and each policy covering it, the policy's rule
	# for the channel ({} when it has none).
	rules := [{"region": r, "policy": name, "rule": object.get(lib.consent_policies[name].spec, ["channels", channel], {})} |
		some r in regions
		some name in consent[r]
	]
	uncovered := {{"path": sprintf("spec.regions[%d]", [i]), "message": sprintf("no ConsentPolicy covers region '%v', so channel %v may not reach it", [r, channel])} |
		some i, r in regions
		not consent[r]
	}
	refused := {{"path": "spec.channel", "message": sprintf("ConsentPolicy %v does not allow channel %v in region '%v'", [c.policy, channel, c.region])} |
		some c in rules
		not c.rule.allowed == true
	}
	wrong_basis := {{"path": "spec.audience.consent.basis", "message": sprintf("audience consent basis '%v' is not one ConsentPolicy %v accepts for %v in region '%v' (lawfulBasis: %s)", [basis, c.policy, channel, c.region, concat(", ", c.rule.lawfulBasis)])} |
		some c in rules
		c.rule.allowed == true
		not basis in c.rule.lawfulBasis
	}
	wrong_type := {{"path": "spec.audience.consent.subscriptionType", "message": sprintf("audience subscriptionType '%v' does not fit ConsentPolicy %v, which requires '%v' for %v in region '%v'", [subscription_type, c.policy, c.rule.subscriptionType, channel, c.region])} |
		some c in rules
		c.rule.allowed == true
		subscription_type != c.rule.subscriptionType
	}
}

# METADATA
# description: >-
#   Each region x channel is allowed by the ConsentPolicy covering that region,
#   and the audience's consent basis and subscriptionType fit that policy.
# custom:
#   id: campaign.consent
deny contains {
	"rule": "campaign.consent",
	"message": p.message,
	"path": p.path,
} if {
	input.kind == "Campaign"
	basis := object.get(input.spec, ["audience", "consent", "basis"], "(none)")
	subscription_type := object.get(input.spec, ["audience", "consent", "subscriptionType"], "(none)")
	some p in consent_problems(input.spec.regions, input.spec.channel, basis, subscription_type)
}

# lead_time_slas: the campaign-lead-time SLAs with their targets read
# (run-wide). met_after is a number of calendar days that surely holds the
# target's business days: every 7 days hold 5 weekdays, less at most every
# holiday. A campaign with that much lead time needs no counting.
lead_time_slas := [{"name": name, "target": sla.spec.target, "days": d.days, "business": d.business, "holidays": holidays, "met_after": 7 * ceil((d.days + count(holidays)) / 5)} |
	some name, sla in object.get(input.index, "SLA", {})
	sla.spec.type == "campaign-lead-time"
	d := mops.duration_days(sla.spec.target)
	holidays := weekday_holidays(sla)
]

# weekday_holidays(sla): the SLA's holidays that fall Monday to Friday,
# which its business-day count skips.
weekday_holidays(sla) := {h |
	some h in object.get(sla.spec, "holidays", [])
	is_string(h)
	not time.weekday(time.parse_ns("2006-01-02", h)) in {"Saturday", "Sunday"}
}

# business_days(sla, from, to): weekdays d with from < d <= to that are not
# one of the SLA's holidays.
business_days(sla, from, to) := mops.business_days(from, to) - count({h | some h in sla.holidays; from < h; h <= to})

# METADATA
# description: launchDate - intakeDate meets every campaign-lead-time SLA's target (bd counts business days, less the SLA's holidays).
# custom:
#   id: campaign.lead-time
deny contains {
	"rule": "campaign.lead-time",
	"message": sprintf("lead time from intakeDate %v to launchDate %v is %v business days; SLA %v requires at least %v", [input.spec.intakeDate, input.spec.launchDate, have, sla.name, sla.target]),
	"path": "spec.launchDate",
} if {
	input.kind == "Campaign"
	some sla in lead_time_slas
	sla.business
	mops.days_between(input.spec.intakeDate, input.spec.launchDate) < sla.met_after
	have := business_days(sla, input.spec.intakeDate, input.spec.launchDate)
	have < sla.days
}

deny contains {
	"rule": "campaign.lead-time",
	"message": sprintf("lead time from intakeDate %v to launchDate %v is %v days; SLA %v requires at least %v", [input.spec.intakeDate, input.spec.launchDate, have, sla.name, sla.target]),
	"path": "spec.launchDate",
} if {
	input.kind == "Campaign"
	some sla in lead_time_slas
	not sla.business
	have := mops.days_between(input.spec.intakeDate, input.spec.launchDate)
	have < sla.days
}

# METADATA
# description: endDate is not before launchDate.
# custom:
#   id: campaign.dates
deny contains {
	"rule": "campaign.dates",
	"message": sprintf("endDate %v is before launchDate %v", [input.spec.endDate, input.spec.launchDate]),
	"path": "spec.endDate",
} if {
	input.kind == "Campaign"
	input.spec.endDate < input.spec.launchDate
	is_string(input.spec.endDate)
	is_string(input.spec.launchDate)
}

# METADATA
# description: A campaign has a metadata.owner, and it is a RACI role.
# custom:
#   id: campaign.owner
deny contains {
	"rule": "campaign.owner",
	"message": sprintf("campaign has no metadata.owner; set it to the RACI role that owns it%s", [lib.known(" (roles: %s)", lib.role_ids)]),
	"path": "metadata",
} if {
	input.kind == "Campaign"
	not input.metadata.owner
}

deny contains {
	"rule": "campaign.owner",
	"message": lib.role_problem("owner", input.metadata.owner),
	"path": "metadata.owner",
} if {
	input.kind == "Campaign"
	not lib.roles[input.metadata.owner]
}

# METADATA
# description: >-
#   A campaign names the audience segment it is sent to (spec.audience.segment),
#   unless its segmentation QA item is n/a: the segmentation check of the QA
#   checklist needs a segment to check.
# custom:
#   id: campaign.segmentation
deny contains {
	"rule": "campaign.segmentation",
	"message": "campaign names no audience segment: set spec.audience.segment to the list or segment it is sent to, or mark qa.segmentation n/a",
	"path": segment_path,
} if {
	input.kind == "Campaign"
	not input.spec.audience.segment
	not input.spec.qa.segmentation == "n/a"
}

segment_path := "spec.audience" if input.spec.audience

else := "spec"

qa_done := {"passed", "n/a"}

# METADATA
# description: A campaign whose launchDate has passed has every QA item passed or n/a.
# custom:
#   id: campaign.qa
deny contains {
	"rule": "campaign.qa",
	"message": sprintf("launchDate %v has passed but qa.%s is '%v'; every QA item must be passed or n/a once a campaign has launched", [input.spec.launchDate, item, status]),
	"path": sprintf("spec.qa.%s", [item]),
} if {
	input.kind == "Campaign"
	input.spec.launchDate < input.today
	is_string(input.spec.launchDate)
	some item, status in input.spec.qa
	not status in qa_done
}

deny contains {
	"rule": "campaign.qa",
	"message": sprintf("launchDate %v has passed but the campaign has no qa record", [input.spec.launchDate]),
	"path": "spec",
} if {
	input.kind == "Campaign"
	input.spec.launchDate < input.today
	is_string(input.spec.launchDate)
	count(object.get(input.spec, "qa", {})) == 0
}
