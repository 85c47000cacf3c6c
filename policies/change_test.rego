package mops.change_test

import data.mops.change
import data.mops.fixtures_test as fx

with_base(doc, base) := object.union(fx.input_for(doc), {"base": base})

test_no_base_no_findings if {
	count(change.deny) == 0 with input as fx.input_for(fx.lead_source)
	count(change.warn) == 0 with input as fx.input_for(fx.eu_gdpr)
}

test_value_removed_denied if {
	head := fx.with_spec(fx.lead_source, {"values": [v | some v in fx.lead_source.spec.values; v.value != "webinar"]})
	fs := change.deny with input as with_base(head, fx.lead_source)
	fx.paths_of(fs, "change.value-removed") == {"spec.values"}
	some f in fs
	contains(f.message, "value 'webinar' was removed")
}

test_deprecated_value_may_go if {
	# trade_show was deprecated at the base: removing it now is the second step.
	head := fx.with_spec(fx.lead_source, {"values": [v | some v in fx.lead_source.spec.values; v.value != "trade_show"]})
	count(change.deny) == 0 with input as with_base(head, fx.lead_source)
}

test_stage_id_changed_denied if {
	stages := [object.union(s, {"id": "marketing_qualified"}) | some s in fx.lifecycle.spec.stages; s.id == "mql"]
	head := fx.with_spec(fx.lifecycle, {"stages": array.concat([s | some s in fx.lifecycle.spec.stages; s.id != "mql"], stages)})
	fs := change.deny with input as with_base(head, fx.lifecycle)
	some f in fs
	f.rule == "change.stage-id"
	contains(f.message, "stage id 'mql' was changed to 'marketing_qualified'")
}

test_stage_kept_passes if {
	count(change.deny) == 0 with input as with_base(fx.lifecycle, fx.lifecycle)
}

test_consent_loosened_warns_naming_accountable if {
	email := object.union(fx.eu_gdpr.spec.channels.email, {"optIn": "single", "lawfulBasis": ["consent", "legitimate_interest"]})
	head := fx.with_spec(fx.eu_gdpr, {"channels": {"email": email, "sms": {"allowed": true, "lawfulBasis": ["consent"], "optIn": "double"}}})
	fs := change.warn with input as with_base(head, fx.eu_gdpr)
	fx.paths_of(fs, "change.consent-loosened") == {"spec.channels.email.optIn", "spec.channels.email.lawfulBasis", "spec.channels.sms.allowed"}
	every f in fs {
		contains(f.message, "no RACI activity governs ConsentPolicy")
	}
}

test_consent_tightened_is_quiet if {
	email := object.union(fx.eu_gdpr.spec.channels.email, {"lawfulBasis": []})
	head := fx.with_spec(fx.eu_gdpr, {"channels": {"email": email, "sms": {"allowed": false}}})
	count(change.warn) == 0 with input as with_base(head, fx.eu_gdpr)
}

test_deprecated_stage_may_go if {
	# mql was deprecated at the base: removing it now is the second step.
	base := fx.with_spec(fx.lifecycle, {"stages": [object.union(s, {"deprecated": true, "replacedBy": "lead"}) | some s in fx.lifecycle.spec.stages; s.id == "mql"]})
	head := fx.with_spec(fx.lifecycle, {"stages": []})
	count([f | some f in change.deny; f.rule == "change.stage-id"]) == 0 with input as with_base(head, base)
}

test_stage_removed_names_the_fix if {
	head := fx.with_spec(fx.lifecycle, {"stages": [s | some s in fx.lifecycle.spec.stages; s.id != "mql"]})
	some f in change.deny with input as with_base(head, fx.lifecycle)
	contains(f.message, "stage 'mql' was removed")
	contains(f.message, "deprecated: true and replacedBy")
}
