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
