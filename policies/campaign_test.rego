package mops.campaign_test

import data.mops.campaign
import data.mops.fixtures_test as fx

deny_for(doc) := fs if {
	fs := campaign.deny with input as fx.input_for(doc)
}

deny_in(doc, docs) := fs if {
	fs := campaign.deny with input as fx.input_in(doc, docs)
}

messages(doc, rule) := {f.message | some f in deny_for(doc); f.rule == rule}

test_base_campaign_passes if {
	count(deny_for(fx.campaign)) == 0
}

test_other_kinds_are_not_campaigns if {
	count(deny_for(fx.eu_gdpr)) == 0
}

# campaign.taxonomy

test_taxonomy_unknown_value if {
	doc := fx.with_spec(fx.campaign, {"type": "nurtur"})
	messages(doc, "campaign.taxonomy") == {"type 'nurtur' is not a value of taxonomy campaign-type; did you mean 'nurture'?"}
	fx.paths_of(deny_for(doc), "campaign.taxonomy") == {"spec.type"}
}

test_taxonomy_deprecated_value_names_replacement if {
	doc := fx.with_spec(fx.campaign, {"leadSource": "trade_show"})
	messages(doc, "campaign.taxonomy") == {"leadSource 'trade_show' is deprecated in taxonomy lead-source; use 'event' (its replacedBy)"}
}

test_taxonomy_each_region if {
	doc := fx.with_spec(fx.campaign, {"regions": ["emea", "europe"]})
	fx.paths_of(deny_for(doc), "campaign.taxonomy") == {"spec.regions[1]"}
}

test_taxonomy_refs_from_project if {
	project := object.union(fx.project, {"spec": {"taxonomyRefs": {"campaignType": "lead-source"}}})
	doc := fx.with_spec(fx.campaign, {"type": "webinar"})
	fs := deny_in(doc, fx.replace(fx.docs, project))
	not "campaign.taxonomy" in fx.rules_of(fs)
}

test_taxonomy_missing_taxonomy_is_skipped if {
	docs := [d | some d in fx.docs; not d.metadata.name == "utm-source"]
	doc := fx.with_spec(fx.campaign, {"utm": {"source": "anything"}})
	not "campaign.taxonomy" in fx.rules_of(deny_in(doc, docs))
}

# campaign.naming

test_naming_token_suggestion if {
	doc := fx.with_spec(fx.campaign, {"name": "FY27-Q1-EMAE-email-spring_launch"})
	some msg in messages(doc, "campaign.naming")
	contains(msg, "region 'EMAE' is not a value of taxonomy region; did you mean 'emea'?")
	contains(msg, "allowed: amer, apac, emea, latam")
}

test_naming_enum_and_pattern if {
	doc := fx.with_spec(fx.campaign, {"name": "FY2027-Q5-emea-email-spring_launch"})
	msgs := messages(doc, "campaign.naming")
	some a in msgs
	contains(a, "fy 'FY2027' does not match the pattern FY[0-9]{2}")
	some b in msgs
	contains(b, "quarter 'Q5' is not one of Q1, Q2, Q3, Q4")
}

test_naming_shape if {
	doc := fx.with_spec(fx.campaign, {"name": "FY27-Q1-emea-email"})
	some msg in messages(doc, "campaign.naming")
	contains(msg, "expected '-' after {channel}")
}

test_naming_transform_lower if {
	upper := fx.with_spec(fx.campaign, {"utm": {"campaign": "FY27-Q1-emea-email-spring_launch"}})
	some msg in messages(upper, "campaign.naming")
	contains(msg, "spec.utm.campaign")
	contains(msg, "must be lower case")
}

test_naming_max_length if {
	doc := fx.with_spec(fx.campaign, {"name": "FY27-Q1-emea-email-a_very_long_slug_that_goes_on_and_on_and_on_forever"})
	some msg in messages(doc, "campaign.naming")
	contains(msg, "at most 40 allowed")
}

# campaign.utm-links

test_utm_links_wrong_value if {
	doc := fx.with_spec(fx.campaign, {"links": ["https://acme.example/?utm_source=newsletter&utm_medium=cpc&utm_campaign=fy27-q1-emea-email-spring_launch"]})
	messages(doc, "campaign.utm-links") == {"link has utm_medium=cpc; the campaign declares utm_medium=email"}
}

test_utm_links_missing_and_extra if {
	doc := fx.with_spec(fx.campaign, {"links": ["https://acme.example/?utm_source=newsletter&utm_campaign=fy27-q1-emea-email-spring_launch&utm_term=x#utm_medium=email"]})
	messages(doc, "campaign.utm-links") == {
		"link carries no utm_medium; the campaign declares utm_medium=email",
		"link carries utm_term, which spec.utm does not declare",
	}
}

test_utm_links_no_query if {
	doc := fx.with_spec(fx.campaign, {"links": ["https://acme.example/spring"]})
	count(messages(doc, "campaign.utm-links")) == 3
}

# campaign.consent

test_consent_region_not_covered if {
	doc := fx.with_spec(fx.campaign, {"regions": ["emea", "apac"]})
	messages(doc, "campaign.consent") == {"no ConsentPolicy covers region 'apac', so channel email may not reach it"}
}

test_consent_channel_not_allowed if {
	doc := fx.with_spec(fx.campaign, {"channel": "sms"})
	messages(doc, "campaign.consent") == {"ConsentPolicy eu-gdpr does not allow channel sms in region 'emea'"}
}

test_consent_channel_not_listed if {
	doc := fx.with_spec(fx.campaign, {"channel": "webinar"})
	messages(doc, "campaign.consent") == {"ConsentPolicy eu-gdpr does not allow channel webinar in region 'emea'"}
}

test_consent_basis_and_subscription if {
	doc := fx.with_spec(fx.campaign, {"audience": {"consent": {"basis": "legitimate_interest", "subscriptionType": "product"}}})
	fx.paths_of(deny_for(doc), "campaign.consent") == {"spec.audience.consent.basis", "spec.audience.consent.subscriptionType"}
}

# campaign.lead-time

test_lead_time_business_days if {
	doc := fx.with_spec(fx.campaign, {"intakeDate": "2027-01-11"})
	messages(doc, "campaign.lead-time") == {"lead time from intakeDate 2027-01-11 to launchDate 2027-01-20 is 7 business days; SLA campaign-lead-time requires at least 10bd"}
}

test_lead_time_exactly_met if {
	# Wed 2027-01-06 to Wed 2027-01-20: ten business days.
	doc := fx.with_spec(fx.campaign, {"intakeDate": "2027-01-06"})
	not "campaign.lead-time" in fx.rules_of(deny_for(doc))
}

test_lead_time_skips_the_slas_holidays if {
	# Wed 2027-01-06 to Wed 2027-01-20 is ten weekdays; Mon 2027-01-18 is a
	# holiday of the SLA (Sat 2027-01-16 is a weekend day anyway): nine.
	sla := object.union(fx.sla("campaign-lead-time", "campaign-lead-time", "10bd"), {"spec": {"holidays": ["2027-01-16", "2027-01-18"]}})
	doc := fx.with_spec(fx.campaign, {"intakeDate": "2027-01-06"})
	fs := deny_in(doc, fx.replace(fx.docs, sla))
	{f.message | some f in fs; f.rule == "campaign.lead-time"} == {"lead time from intakeDate 2027-01-06 to launchDate 2027-01-20 is 9 business days; SLA campaign-lead-time requires at least 10bd"}
}

test_lead_time_three_weeks_short_of_holidays if {
	# Fri 2027-01-01 to Fri 2027-01-22 is three weeks, fifteen weekdays; six
	# of them are holidays of the SLA: nine. Three weeks surely hold ten
	# business days only for an SLA with at most five holidays.
	holidays := ["2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08", "2027-01-11"]
	sla := object.union(fx.sla("campaign-lead-time", "campaign-lead-time", "10bd"), {"spec": {"holidays": holidays}})
	doc := fx.with_spec(fx.campaign, {"intakeDate": "2027-01-01", "launchDate": "2027-01-22", "endDate": "2027-02-22"})
	fs := deny_in(doc, fx.replace(fx.docs, sla))
	{f.message | some f in fs; f.rule == "campaign.lead-time"} == {"lead time from intakeDate 2027-01-01 to launchDate 2027-01-22 is 9 business days; SLA campaign-lead-time requires at least 10bd"}
}

test_lead_time_calendar_days if {
	docs := fx.replace(fx.docs, fx.sla("campaign-lead-time", "campaign-lead-time", "21d"))
	fs := deny_in(fx.campaign, docs)
	some f in fs
	f.rule == "campaign.lead-time"
	contains(f.message, "is 15 days")
}

# campaign.dates

test_dates_end_before_launch if {
	doc := fx.with_spec(fx.campaign, {"endDate": "2027-01-19"})
	fx.paths_of(deny_for(doc), "campaign.dates") == {"spec.endDate"}
}

test_dates_same_day if {
	doc := fx.with_spec(fx.campaign, {"endDate": "2027-01-20"})
	not "campaign.dates" in fx.rules_of(deny_for(doc))
}

# campaign.owner

test_owner_not_a_role if {
	doc := object.union(fx.campaign, {"metadata": {"owner": "demandgen"}})
	messages(doc, "campaign.owner") == {"owner 'demandgen' is not a RACI role; did you mean 'demand-gen'? (roles: automation, demand-gen, mops-lead)"}
}

test_owner_missing if {
	doc := json.remove(fx.campaign, ["metadata/owner"])
	fx.paths_of(deny_for(doc), "campaign.owner") == {"metadata"}
}

# campaign.qa

test_qa_pending_after_launch if {
	doc := fx.with_spec(fx.campaign, {"intakeDate": "2026-12-01", "launchDate": "2027-01-04"})
	fx.paths_of(deny_for(doc), "campaign.qa") == {"spec.qa.rendering"}
}

test_qa_pending_before_launch if {
	not "campaign.qa" in fx.rules_of(deny_for(fx.campaign))
}

test_qa_done_after_launch if {
	doc := fx.with_spec(fx.campaign, {"intakeDate": "2026-12-01", "launchDate": "2027-01-04", "qa": {"rendering": "n/a"}})
	not "campaign.qa" in fx.rules_of(deny_for(doc))
}

test_qa_missing_after_launch if {
	doc := json.remove(fx.with_spec(fx.campaign, {"intakeDate": "2026-12-01", "launchDate": "2027-01-04"}), ["spec/qa"])
	fx.paths_of(deny_for(doc), "campaign.qa") == {"spec"}
}

# History: a campaign whose endDate passed (today is 2027-01-10 in the fixtures).

history_campaign := fx.with_spec(fx.campaign, {
	"leadSource": "trade_show", "intakeDate": "2026-10-01", "launchDate": "2026-11-02", "endDate": "2026-12-18",
	"qa": {"links": "passed", "tracking": "passed", "rendering": "passed"},
})

warn_for(doc) := fs if {
	fs := campaign.warn with input as fx.input_for(doc)
}

test_history_deprecated_value_without_base_warns if {
	not "campaign.taxonomy" in fx.rules_of(deny_for(history_campaign))
	ws := {w | some w in warn_for(history_campaign); w.rule == "campaign.history-value"}
	{w.path | some w in ws} == {"spec.leadSource"}
	some w in ws
	contains(w.message, "leadSource 'trade_show' is deprecated in taxonomy lead-source; use 'event'")
	contains(w.message, "ended on 2026-12-18")
}

test_history_untouched_by_the_change_is_no_finding if {
	fs := campaign.deny with input as object.union(fx.input_for(history_campaign), {"changed": false})
	ws := campaign.warn with input as object.union(fx.input_for(history_campaign), {"changed": false})
	not "campaign.taxonomy" in fx.rules_of(fs)
	count(ws) == 0
}

test_history_changed_by_the_change_is_denied if {
	fs := campaign.deny with input as object.union(fx.input_for(history_campaign), {"changed": true})
	fx.paths_of(fs, "campaign.taxonomy") == {"spec.leadSource"}
}

test_running_campaign_deprecated_value_is_denied_even_untouched if {
	doc := fx.with_spec(fx.campaign, {"leadSource": "trade_show"})
	fs := campaign.deny with input as object.union(fx.input_for(doc), {"changed": false})
	fx.paths_of(fs, "campaign.taxonomy") == {"spec.leadSource"}
}

test_history_unknown_value_is_still_denied if {
	doc := fx.with_spec(history_campaign, {"leadSource": "tradeshow"})
	fs := campaign.deny with input as object.union(fx.input_for(doc), {"changed": false})
	fx.paths_of(fs, "campaign.taxonomy") == {"spec.leadSource"}
}

test_history_deprecated_name_token_is_spared if {
	channel := {
		"apiVersion": "mops.dev/v1", "kind": "Taxonomy", "metadata": {"name": "channel"},
		"spec": {"label": "channel", "values": [
			{"value": "email", "label": "email", "deprecated": true, "replacedBy": "sms"},
			{"value": "sms", "label": "sms"},
		]},
	}
	docs := fx.replace(fx.docs, channel)
	untouched := campaign.deny with input as object.union(fx.input_in(history_campaign, docs), {"changed": false})
	not "campaign.naming" in fx.rules_of(untouched)
	touched := campaign.deny with input as object.union(fx.input_in(history_campaign, docs), {"changed": true})
	"campaign.naming" in fx.rules_of(touched)
	ws := campaign.warn with input as fx.input_in(history_campaign, docs)
	fx.paths_of(ws, "campaign.history-value") == {"spec.name", "spec.channel", "spec.leadSource", "spec.utm.campaign"}
}

# campaign.derived: the fixture's naming convention with spec.derived.

derived_naming(derived) := object.union(fx.naming, {"spec": {"derived": derived}})

renamed := fx.with_spec(fx.campaign, {"name": "FY27-Q1-emea-email-spring_relaunch"})

test_derived_lower_names_expected_value if {
	docs := fx.replace(fx.docs, derived_naming([{"kind": "Campaign", "field": "spec.utm.campaign", "from": "spec.name", "transform": "lower"}]))
	fs := deny_in(renamed, docs)
	fx.paths_of(fs, "campaign.derived") == {"spec.utm.campaign", "spec.links[0]"}
	msgs := {f.message | some f in fs; f.rule == "campaign.derived"}
	msgs == {
		"spec.utm.campaign 'fy27-q1-emea-email-spring_launch' is not what naming convention campaign-name derives from spec.name (in lower case): expected 'fy27-q1-emea-email-spring_relaunch'",
		"link 1 has utm_campaign=fy27-q1-emea-email-spring_launch, the stale spec.utm.campaign; naming convention campaign-name derives 'fy27-q1-emea-email-spring_relaunch' from spec.name (in lower case)",
	}
}

test_derived_clean_campaign_passes if {
	docs := fx.replace(fx.docs, derived_naming([{"kind": "Campaign", "field": "spec.utm.campaign", "from": "spec.name", "transform": "lower"}]))
	not "campaign.derived" in fx.rules_of(deny_in(fx.campaign, docs))
}

test_derived_template_of_tokens if {
	docs := fx.replace(fx.docs, derived_naming([{"kind": "Campaign", "field": "spec.utm.campaign", "from": "spec.name", "template": "{fy}-{quarter}-{slug}", "transform": "lower"}]))
	fs := deny_in(fx.campaign, docs)
	some f in fs
	f.rule == "campaign.derived"
	f.path == "spec.utm.campaign"
	endswith(f.message, "(template {fy}-{quarter}-{slug} in lower case): expected 'fy27-q1-spring_launch'")
}

test_derived_fixed_field_leaves_links_to_utm_links if {
	docs := fx.replace(fx.docs, derived_naming([{"kind": "Campaign", "field": "spec.utm.campaign", "from": "spec.name", "transform": "lower"}]))
	doc := fx.with_spec(renamed, {"utm": {"campaign": "fy27-q1-emea-email-spring_relaunch"}})
	fs := deny_in(doc, docs)
	not "campaign.derived" in fx.rules_of(fs)
	fx.paths_of(fs, "campaign.utm-links") == {"spec.links[0]"}
}
