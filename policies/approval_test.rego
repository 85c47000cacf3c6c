package approval.builtin_test

import data.approval.builtin

raci := [{
	"roles": [
		{"id": "lead", "members": ["@dana"]},
		{"id": "auto", "members": ["@priya"]},
	],
	"activities": [{"id": "taxonomy-change", "governs": ["Taxonomy"], "responsible": ["auto"], "accountable": "lead"}],
}]

changes := [
	{"seq": 1, "action": "create", "destructive": false, "target": {"object": "contacts", "property": "a"}, "source": {"kind": "Taxonomy", "name": "a"}},
	{"seq": 2, "action": "update", "destructive": false, "target": {"object": "contacts", "property": "a"}, "source": {"kind": "Taxonomy", "name": "a"}},
	{"seq": 3, "action": "create", "destructive": false, "target": {"object": "contacts", "property": "b"}, "source": {"kind": "Taxonomy", "name": "b"}},
]

# Three changes wait for one role: the role is named once, with all three.
test_missing_role_named_once if {
	msgs := builtin.missing with input as {"plan": {"changes": changes}, "approvers": [], "raci": raci, "approvals": {"destructiveMinApprovers": 2}}
	msgs == {"role lead (accountable for taxonomy-change) must approve change(s) 1, 2, 3: an approver from @dana"}
}

test_accountable_approver_suffices if {
	msgs := builtin.missing with input as {"plan": {"changes": changes}, "approvers": ["@dana"], "raci": raci, "approvals": {"destructiveMinApprovers": 2}}
	count(msgs) == 0
}
