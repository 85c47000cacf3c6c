package mops.project_test

import data.mops.fixtures_test as fx
import data.mops.project

deny_for(doc) := fs if {
	fs := project.deny with input as fx.input_for(doc)
}

test_base_project_passes if {
	count(deny_for(fx.project)) == 0
}

test_taxonomy_ref if {
	doc := fx.with_spec(fx.project, {"taxonomyRefs": {"region": "region", "leadSource": "lead-sources"}})
	fx.paths_of(deny_for(doc), "project.taxonomy-ref") == {"spec.taxonomyRefs.leadSource"}
}

test_default_system if {
	fx.paths_of(deny_for(fx.with_spec(fx.project, {"defaultSystem": "prod"})), "project.default-system") == {"spec.defaultSystem"}
	count(deny_for(json.remove(fx.project, ["spec/defaultSystem"]))) == 0
}

test_freeze_role if {
	doc := fx.with_spec(fx.project, {"freezes": [{"name": "launch", "overrideRole": "cfo"}]})
	fx.paths_of(deny_for(doc), "project.freeze-role") == {"spec.freezes[0].overrideRole"}
}
