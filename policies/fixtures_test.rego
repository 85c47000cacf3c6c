# METADATA
# description: >-
#   A small, clean repository shared by the built-in policies' tests, and
#   helpers to build inputs from it. Tests change one document at a time.
package mops.fixtures_test

project := {
	"apiVersion": "mops.dev/v1",
	"kind": "Project",
	"metadata": {"name": "acme"},
	"spec": {
		"defaultSystem": "sandbox",
		"systems": [
			{"name": "sandbox", "type": "sandbox"},
			{"name": "hubspot-prod", "type": "hubspot", "tokenEnv": "HUBSPOT_TOKEN"},
		],
		"freezes": [{"name": "q4-close", "from": "2026-12-20T00:00:00Z", "to": "2027-01-05T00:00:00Z", "reason": "Quarter-end reporting", "overrideRole": "mops-lead"}],
	},
}

taxonomy(name, values) := {
	"apiVersion": "mops.dev/v1",
	"kind": "Taxonomy",
	"metadata": {"name": name},
	"spec": {"label": name, "values": [{"value": v, "label": v} | some v in values]},
}

lead_source := {
	"apiVersion": "mops.dev/v1",
	"kind": "Taxonomy",
	"metadata": {"name": "lead-source"},
	"spec": {
		"label": "Lead Source",
		"valueCase": "snake_case",
		"values": [
			{"value": "paid_search", "label": "Paid Search"},
			{"value": "webinar", "label": "Webinar"},
			{"value": "trade_show", "label": "Trade Show", "deprecated": true, "replacedBy": "event"},
			{"value": "event", "label": "Event"},
		],
		"bindings": [{"system": "hubspot-prod", "object": "contacts", "property": "lead_source"}],
	},
}

lifecycle := {
	"apiVersion": "mops.dev/v1",
	"kind": "LifecycleModel",
	"metadata": {"name": "contact-lifecycle"},
	"spec": {
		"object": "contact",
		"stages": [
			{"id": "subscriber", "label": "Subscriber"},
			{"id": "lead", "label": "Lead"},
			{"id": "mql", "label": "MQL", "sla": "mql-follow-up"},
			{"id": "sql", "label": "SQL"},
			{"id": "customer", "label": "Customer", "terminal": true},
		],
		"transitions": [{"from": "mql", "to": ["sql", "lead"]}],
		"bindings": [{"system": "hubspot-prod", "object": "contacts", "property": "lifecyclestage"}],
	},
}

naming := {
	"apiVersion": "mops.dev/v1",
	"kind": "NamingConvention",
	"metadata": {"name": "campaign-name"},
	"spec": {
		"appliesTo": [
			{"kind": "Campaign", "field": "spec.name"},
			{"kind": "Campaign", "field": "spec.utm.campaign", "transform": "lower"},
		],
		"template": "{fy}-{quarter}-{region}-{channel}-{slug}",
		"tokens": {
			"fy": {"pattern": "FY[0-9]{2}"},
			"quarter": {"enum": ["Q1", "Q2", "Q3", "Q4"]},
			"region": {"taxonomy": "region"},
			"channel": {"taxonomy": "channel"},
			"slug": {"pattern": "[a-z0-9]+(_[a-z0-9]+)*", "maxLength": 40},
		},
		"maxLength": 80,
	},
}

raci := {
	"apiVersion": "mops.dev/v1",
	"kind": "RACI",
	"metadata": {"name": "mops"},
	"spec": {
		"roles": [
			{"id": "mops-lead", "members": ["@acme/mops-leads", "dana@acme.example"]},
			{"id": "automation", "members": ["@acme/marketing-automation"]},
			{"id": "demand-gen", "members": ["@acme/demand-gen"]},
		],
		"activities": [
			{"id": "taxonomy-change", "governs": ["Taxonomy", "LifecycleModel"], "responsible": ["automation"], "accountable": "mops-lead", "consulted": ["demand-gen"]},
			{"id": "campaign-launch", "governs": ["Campaign"], "responsible": ["demand-gen"], "accountable": "mops-lead"},
		],
	},
}

sla(name, type, target) := {
	"apiVersion": "mops.dev/v1",
	"kind": "SLA",
	"metadata": {"name": name},
	"spec": {"type": type, "target": target},
}

eu_gdpr := {
	"apiVersion": "mops.dev/v1",
	"kind": "ConsentPolicy",
	"metadata": {"name": "eu-gdpr"},
	"spec": {
		"regions": ["emea"],
		"channels": {
			"email": {"allowed": true, "lawfulBasis": ["consent"], "optIn": "double", "subscriptionType": "marketing-newsletter"},
			"sms": {"allowed": false},
		},
	},
}

campaign := {
	"apiVersion": "mops.dev/v1",
	"kind": "Campaign",
	"metadata": {"name": "fy27-q1-emea-spring-launch", "owner": "demand-gen"},
	"spec": {
		"name": "FY27-Q1-emea-email-spring_launch",
		"channel": "email",
		"type": "nurture",
		"regions": ["emea"],
		"leadSource": "webinar",
		"intakeDate": "2027-01-05",
		"launchDate": "2027-01-20",
		"endDate": "2027-03-31",
		"audience": {"segment": "emea-prospects", "consent": {"basis": "consent", "subscriptionType": "marketing-newsletter"}},
		"utm": {"source": "newsletter", "medium": "email", "campaign": "fy27-q1-emea-email-spring_launch"},
		"links": ["https://acme.example/spring?utm_source=newsletter&utm_medium=email&utm_campaign=fy27-q1-emea-email-spring_launch"],
		"qa": {"links": "passed", "tracking": "passed", "rendering": "pending"},
	},
}

docs := [
	project,
	taxonomy("region", ["amer", "apac", "emea", "latam"]),
	taxonomy("channel", ["email", "sms", "paid_search", "webinar"]),
	taxonomy("campaign-type", ["nurture", "launch", "event"]),
	lead_source,
	taxonomy("utm-medium", ["email", "cpc"]),
	taxonomy("utm-source", ["newsletter", "google"]),
	lifecycle,
	naming,
	raci,
	sla("campaign-lead-time", "campaign-lead-time", "10bd"),
	sla("mql-follow-up", "stage-response", "24h"),
	eu_gdpr,
	campaign,
]

# index_of(ds): the input index of a list of documents.
index_of(ds) := {kind: {d.metadata.name: d | some d in ds; d.kind == kind} | some kind in {d.kind | some d in ds}}

# replace(ds, doc): ds with doc in place of the document of the same kind and name, or added.
replace(ds, doc) := array.concat([d | some d in ds; not same(d, doc)], [doc])

same(a, b) if {
	a.kind == b.kind
	a.metadata.name == b.metadata.name
}

# input_in(doc, ds): the input for doc in a repository of ds (doc is added or replaces its namesake).
input_in(doc, ds) := object.union(doc, {
	"file": "test.yaml",
	"index": index_of(replace(ds, doc)),
	"project": [p | some p in replace(ds, doc); p.kind == "Project"][0],
	"today": "2027-01-10",
})

# input_for(doc): the input for doc in the base repository.
input_for(doc) := input_in(doc, docs)

# with_spec(doc, patch): doc with patch merged into its spec (object.union).
with_spec(doc, patch) := object.union(doc, {"spec": patch})

# rules_of(findings): the rule ids among findings.
rules_of(findings) := {f.rule | some f in findings}

# paths_of(findings, rule): the paths of the findings of rule.
paths_of(findings, rule) := {f.path | some f in findings; f.rule == rule}
