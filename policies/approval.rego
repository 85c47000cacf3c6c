# METADATA
# title: Built-in approval policy
# description: |
#   Decides whether a plan may be applied. `mops apply` evaluates
#   every data.approval.<name>.missing set with input {plan, approvers, raci, approvals}; every
#   message in the set is an approval still missing. A repository may add
#   its own rules in a package approval.<organisation> in its policy folders.
package approval.builtin

# activity_for(kind) is the RACI activity whose governs list names kind.
activity_for(kind) := a if {
	some r in input.raci
	some a in r.activities
	kind in a.governs
}

role_members(id) := {m |
	some r in input.raci
	some role in r.roles
	role.id == id
	some m in role.members
}

approvers := {a | some a in input.approvers}

# unapproved holds [role, activity, seq] for every change whose governing
# activity's accountable role has no approver among input.approvers.
unapproved contains [a.accountable, a.id, c.seq] if {
	some c in input.plan.changes
	a := activity_for(c.source.kind)
	count(role_members(a.accountable) & approvers) == 0
}

# Every change needs an approver from the accountable role of the activity
# governing the kind of the document that asks for it. One message per
# role, naming the changes that wait for it: a plan of twenty changes to
# one taxonomy asks for one approver, once.
missing contains msg if {
	some role in {u[0] | some u in unapproved}
	activities := sort({u[1] | some u in unapproved; u[0] == role})
	seqs := sort({u[2] | some u in unapproved; u[0] == role})
	msg := sprintf("role %s (accountable for %s) must approve change(s) %s: an approver from %s", [
		role, concat(", ", activities), concat(", ", [sprintf("%d", [s]) | some s in seqs]),
		concat(", ", sort(role_members(role))),
	])
}

missing contains msg if {
	some c in input.plan.changes
	not activity_for(c.source.kind)
	msg := sprintf("no RACI activity governs %s, so nobody can approve change %d; add %s to an activity's governs list", [c.source.kind, c.seq, c.source.kind])
}

destructive := [c | some c in input.plan.changes; c.destructive]

# Destructive changes (record migrations, removals) need
# spec.approvals.destructiveMinApprovers distinct approvers from the
# accountable or responsible roles of the governing activities.
missing contains msg if {
	count(destructive) > 0
	eligible := {m |
		some c in destructive
		a := activity_for(c.source.kind)
		some role in array.concat([a.accountable], a.responsible)
		some m in role_members(role)
	}
	n := count(approvers & eligible)
	need := input.approvals.destructiveMinApprovers
	n < need
	msg := sprintf("%d destructive change(s) need %d distinct approvers from the accountable or responsible roles (%s); got %d", [
		count(destructive), need, concat(", ", sort([m | some m in eligible])), n,
	])
}
