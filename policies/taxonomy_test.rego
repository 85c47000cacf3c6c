package mops.taxonomy_test

import data.mops.fixtures_test as fx
import data.mops.taxonomy

deny_for(doc) := fs if {
	fs := taxonomy.deny with input as fx.input_for(doc)
}

values(vs) := fx.with_spec(fx.taxonomy("industry", []), {"values": vs})

test_base_taxonomies_pass if {
	every d in fx.docs {
		count(deny_for(d)) == 0
	}
}

test_value_case_snake if {
	fs := deny_for(values([{"value": "retail"}, {"value": "Health-Care"}]))
	fx.paths_of(fs, "taxonomy.value-case") == {"spec.values[1].value"}
	some f in fs
	contains(f.message, "write it as 'health_care'")
}

test_value_case_kebab if {
	doc := fx.with_spec(values([{"value": "health-care"}, {"value": "health_care"}]), {"valueCase": "kebab-case"})
	fx.paths_of(deny_for(doc), "taxonomy.value-case") == {"spec.values[1].value"}
}

test_value_case_upper_and_any if {
	upper := fx.with_spec(values([{"value": "EMEA"}, {"value": "Apac"}]), {"valueCase": "upper"})
	fx.paths_of(deny_for(upper), "taxonomy.value-case") == {"spec.values[1].value"}
	any := fx.with_spec(values([{"value": "Any Thing!"}]), {"valueCase": "any"})
	count(deny_for(any)) == 0
}

test_duplicate_value if {
	fs := deny_for(values([{"value": "a"}, {"value": "b"}, {"value": "a"}, {"value": "a"}]))
	fx.paths_of(fs, "taxonomy.duplicate-value") == {"spec.values[2].value", "spec.values[3].value"}
}

test_replaced_by_missing if {
	fs := deny_for(values([{"value": "a"}, {"value": "b", "deprecated": true}]))
	fx.paths_of(fs, "taxonomy.replaced-by") == {"spec.values[1]"}
}

test_replaced_by_not_active if {
	fs := deny_for(values([
		{"value": "a", "deprecated": true, "replacedBy": "b"},
		{"value": "b", "deprecated": true, "replacedBy": "c"},
		{"value": "c"},
	]))
	fx.paths_of(fs, "taxonomy.replaced-by") == {"spec.values[0].replacedBy"}
}

test_binding_system if {
	doc := fx.with_spec(fx.lead_source, {"bindings": [{"system": "hubspot-prd", "object": "contacts", "property": "x"}]})
	some f in deny_for(doc)
	f.rule == "taxonomy.binding-system"
	f.path == "spec.bindings[0].system"
	contains(f.message, "did you mean 'hubspot-prod'?")
}
