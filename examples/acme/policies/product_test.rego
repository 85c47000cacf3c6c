package mops.acme_test

import data.mops.acme

launch := {
	"apiVersion": "mops.dev/v1",
	"kind": "Campaign",
	"metadata": {"name": "fy27-q1-insights-launch", "owner": "demand-gen", "labels": {"product": "acme-insights"}},
	"spec": {"type": "product_launch", "channel": "paid_search"},
}

deny_for(doc) := fs if {
	fs := acme.deny with input as object.union(doc, {"index": {}, "project": {}, "today": "2027-01-10", "file": "c.yaml"})
}

test_launch_with_product_passes if {
	count(deny_for(launch)) == 0
}

test_other_campaigns_need_no_product if {
	doc := json.remove(object.union(launch, {"spec": {"type": "nurture"}}), ["metadata/labels"])
	count(deny_for(doc)) == 0
}

test_launch_without_product if {
	doc := json.remove(launch, ["metadata/labels"])
	{f.rule | some f in deny_for(doc)} == {"acme.product-label"}
}

test_unknown_product_suggests if {
	doc := object.union(launch, {"metadata": {"labels": {"product": "acme-insight"}}})
	some f in deny_for(doc)
	f.rule == "acme.product-known"
	f.path == "metadata.labels.product"
	contains(f.message, "did you mean 'acme-insights'?")
}
