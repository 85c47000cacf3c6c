package mops.lifecycle_test

import data.mops.fixtures_test as fx
import data.mops.lifecycle

findings(doc) := fs if {
	deny := lifecycle.deny with input as fx.input_for(doc)
	warn := lifecycle.warn with input as fx.input_for(doc)
	fs := deny | warn
}

model(stages, transitions) := fx.with_spec(fx.lifecycle, {"stages": stages, "transitions": transitions})

test_base_lifecycle_passes if {
	count(findings(fx.lifecycle)) == 0
}

test_duplicate_stage if {
	doc := model([{"id": "a"}, {"id": "b"}, {"id": "a", "terminal": true}], [])
	fx.paths_of(findings(doc), "lifecycle.duplicate-stage") == {"spec.stages[2].id"}
}

test_transition_unknown_stages if {
	doc := model([{"id": "a"}, {"id": "b", "terminal": true}], [{"from": "x", "to": ["b"]}, {"from": "a", "to": ["b", "y"]}])
	fx.paths_of(findings(doc), "lifecycle.transition-stage") == {"spec.transitions[0].from", "spec.transitions[1].to[1]"}
}

test_unreachable_stage if {
	doc := model([{"id": "a"}, {"id": "b", "terminal": true}, {"id": "c", "terminal": true}], [])
	fx.paths_of(findings(doc), "lifecycle.unreachable-stage") == {"spec.stages[2].id"}
}

test_explicit_transition_makes_reachable if {
	doc := model([{"id": "a"}, {"id": "b", "terminal": true}, {"id": "c", "terminal": true}], [{"from": "a", "to": ["b", "c"]}])
	count(findings(doc)) == 0
}

test_dead_end if {
	doc := model([{"id": "a"}, {"id": "b"}], [])
	fx.paths_of(findings(doc), "lifecycle.dead-end") == {"spec.stages[1]"}
}

test_dead_end_explicit_empty if {
	doc := model([{"id": "a"}, {"id": "b"}, {"id": "c", "terminal": true}], [{"from": "b", "to": []}])
	fx.paths_of(findings(doc), "lifecycle.dead-end") == {"spec.stages[1]"}
}

test_stage_sla_missing if {
	doc := model([{"id": "a", "sla": "mql-folow-up"}, {"id": "b", "terminal": true}], [])
	some f in findings(doc)
	f.rule == "lifecycle.stage-sla"
	contains(f.message, "did you mean 'mql-follow-up'?")
}

test_stage_sla_type if {
	doc := model([{"id": "a", "sla": "campaign-lead-time"}, {"id": "b", "terminal": true}], [])
	fx.paths_of(findings(doc), "lifecycle.stage-sla-type") == {"spec.stages[0].sla"}
}

test_binding_system if {
	doc := fx.with_spec(fx.lifecycle, {"bindings": [{"system": "salesforce-prod"}]})
	fx.paths_of(findings(doc), "lifecycle.binding-system") == {"spec.bindings[0].system"}
}

test_deprecated_stage_needs_active_replacement if {
	doc := model([{"id": "a"}, {"id": "b", "deprecated": true}, {"id": "c", "deprecated": true, "replacedBy": "b"}, {"id": "d", "terminal": true}], [])
	fx.paths_of(findings(doc), "lifecycle.replaced-by") == {"spec.stages[1]", "spec.stages[2].replacedBy"}
}

test_deprecated_stage_is_neither_unreachable_nor_a_dead_end if {
	# recycle is retired: nothing leads to it and it leads nowhere.
	doc := model([{"id": "a"}, {"id": "recycle", "deprecated": true, "replacedBy": "a"}, {"id": "b", "terminal": true}], [{"from": "a", "to": ["b"]}])
	count(findings(doc)) == 0
}

test_transition_to_deprecated_stage if {
	doc := model([{"id": "a"}, {"id": "old", "deprecated": true, "replacedBy": "b"}, {"id": "b", "terminal": true}], [{"from": "a", "to": ["old", "b"]}])
	fs := findings(doc)
	fx.paths_of(fs, "lifecycle.deprecated-target") == {"spec.transitions[0].to[0]"}
	some f in fs
	f.rule == "lifecycle.deprecated-target"
	contains(f.message, "its replacement 'b'")
}
