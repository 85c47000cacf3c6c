package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Difference is one way a plan differs from the plan mops derives again
// from the documents and live: a step edited, added, dropped or moved, a
// live property that changed, other documents.
type Difference struct {
	// Kind says what differs: DiffDocuments, DiffLive or DiffStep.
	Kind string `json:"kind"`
	// Seq is the step of the plan concerned; 0 when the step is only in
	// the plan derived again, or the difference is not about a step.
	Seq int `json:"seq,omitempty"`
	// Derived is the step's number in the plan derived again; 0 when it
	// has no such step.
	Derived int `json:"derived,omitempty"`
	// Message says what differs, naming the step.
	Message string `json:"message"`
}

// The kinds of difference.
const (
	// DiffDocuments: the plan was made from other documents.
	DiffDocuments = "documents"
	// DiffLive: a live property the plan read moved (the plan is stale).
	DiffLive = "live"
	// DiffStep: a step was edited, added, dropped or moved.
	DiffStep = "step"
)

func (d Difference) String() string { return d.Message }

// Compare lists every way plan p differs from derived, the plan made again
// from the same documents and live as it is now; none means they are the
// same plan, step for step. It compares what the plan does, not when or by
// which mops it was made: the documents (desired hash), the live
// fingerprints and each step, field by field. Steps are paired by what
// they act on (action, target, value or migration source), so a forged,
// dropped, added or reordered step is named as such.
func Compare(p, derived *Plan) []Difference {
	var out []Difference
	if p.DesiredHash != derived.DesiredHash {
		out = append(out, Difference{Kind: DiffDocuments, Message: fmt.Sprintf("the plan was made from other governance documents (desired hash %s; the documents give %s)", shortHash(p.DesiredHash), shortHash(derived.DesiredHash))})
	}
	if !slices.Equal(p.Systems, derived.Systems) {
		out = append(out, Difference{Kind: DiffDocuments, Message: fmt.Sprintf("the plan covers systems %s; derived again it covers %s", strings.Join(p.Systems, ", "), strings.Join(derived.Systems, ", "))})
	}
	out = append(out, compareFingerprints(p.Fingerprints, derived.Fingerprints)...)
	return append(out, compareSteps(p.Changes, derived.Changes)...)
}

// compareFingerprints names every live property read for one plan and not
// the other, or read with another fingerprint.
func compareFingerprints(was, now map[string]string) []Difference {
	keys := make([]string, 0, len(was)+len(now))
	for k := range was {
		keys = append(keys, k)
	}
	for k := range now {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []Difference
	for _, k := range slices.Compact(keys) {
		w, inWas := was[k]
		n, inNow := now[k]
		switch {
		case !inWas:
			out = append(out, Difference{Kind: DiffLive, Message: fmt.Sprintf("the plan did not read %s, which the documents bind", k)})
		case !inNow:
			out = append(out, Difference{Kind: DiffLive, Message: fmt.Sprintf("the plan read %s, which the documents do not bind", k)})
		case w != n && n == Absent:
			out = append(out, Difference{Kind: DiffLive, Message: fmt.Sprintf("%s no longer exists in live", k)})
		case w != n:
			out = append(out, Difference{Kind: DiffLive, Message: fmt.Sprintf("%s changed in live since the plan was made", k)})
		}
	}
	return out
}

// stepKey is what a step acts on: two steps with the same key are the same
// step, perhaps edited.
func stepKey(c Change) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%s", c.Action, c.Target, c.Value, c.From)
}

// SameStep reports whether c and d act on the same thing (action, target,
// option or migrated value): the same step of two plans, perhaps edited.
func (c Change) SameStep(d Change) bool { return stepKey(c) == stepKey(d) }

// Describe names a step for people: "step 3 (migrate-records
// sandbox:contacts.lead_source "trade_show" -> "event")".
func (c Change) Describe() string {
	what := ""
	switch {
	case c.Action == MigrateRecords:
		what = fmt.Sprintf(" %q -> %q", c.From, c.To)
	case c.Value != "":
		what = fmt.Sprintf(" %q", c.Value)
	}
	return fmt.Sprintf("step %d (%s %s%s)", c.Seq, c.Action, c.Target, what)
}

// compareSteps pairs the steps of a plan with those derived again and
// describes every difference, in the plan's step order then the derived
// steps it lacks. A step counts as moved when the paired steps come in
// another order, not because a step before it was added or dropped.
func compareSteps(steps, derived []Change) []Difference {
	byKey := map[string][]int{}
	for i, c := range derived {
		byKey[stepKey(c)] = append(byKey[stepKey(c)], i)
	}
	pair := make([]int, len(steps)) // derived index, or -1
	paired := make([]bool, len(derived))
	var order []int // derived indices of the paired steps, in plan order
	for i, c := range steps {
		pair[i] = -1
		if js := byKey[stepKey(c)]; len(js) > 0 {
			pair[i], byKey[stepKey(c)] = js[0], js[1:]
			paired[js[0]] = true
			order = append(order, js[0])
		}
	}
	// A step is moved when its rank among the paired steps differs
	// between the two plans.
	sorted := slices.Sorted(slices.Values(order))
	moved := map[int]bool{}
	for r, j := range order {
		moved[j] = sorted[r] != j
	}
	var out []Difference
	for i, c := range steps {
		j := pair[i]
		if j < 0 {
			out = append(out, Difference{Kind: DiffStep, Seq: c.Seq, Message: fmt.Sprintf("%s is not a step the documents and live give: it was added to the plan, or what it acts on was changed", c.Describe())})
			continue
		}
		d := derived[j]
		switch {
		case moved[j]:
			out = append(out, Difference{Kind: DiffStep, Seq: c.Seq, Derived: d.Seq, Message: fmt.Sprintf("%s comes at position %d of the plan, but the documents and live give it as step %d at position %d", c.Describe(), i+1, d.Seq, j+1)})
		case i == j && c.Seq != d.Seq:
			out = append(out, Difference{Kind: DiffStep, Seq: c.Seq, Derived: d.Seq, Message: fmt.Sprintf("%s is numbered %d in the plan but %d from the documents and live", c.Describe(), c.Seq, d.Seq)})
		}
		for _, f := range fieldDiffs(c, d) {
			out = append(out, Difference{Kind: DiffStep, Seq: c.Seq, Derived: d.Seq, Message: c.Describe() + ": " + f})
		}
	}
	for j, d := range derived {
		if !paired[j] {
			out = append(out, Difference{Kind: DiffStep, Derived: d.Seq, Message: fmt.Sprintf("the plan lacks %s, which the documents and live give", d.Describe())})
		}
	}
	return out
}

// fieldDiffs compares two steps field by field (by their JSON form, so a
// field added to Change is compared too), leaving out the step number.
func fieldDiffs(a, b Change) []string {
	fa, fb := fields(a), fields(b)
	names := make([]string, 0, len(fa)+len(fb))
	for k := range fa {
		names = append(names, k)
	}
	for k := range fb {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []string
	for _, k := range slices.Compact(names) {
		if k == "seq" || bytes.Equal(fa[k], fb[k]) {
			continue
		}
		out = append(out, fmt.Sprintf("%s is %s in the plan but %s from the documents and live", k, shown(fa[k]), shown(fb[k])))
	}
	return out
}

// fields splits a step's JSON form by field. A Change holds strings,
// integers and booleans only, so it always encodes, and its encoding is an
// object.
func fields(c Change) map[string][]byte {
	data, _ := json.Marshal(c)
	var raw map[string]json.RawMessage
	_ = json.Unmarshal(data, &raw)
	out := make(map[string][]byte, len(raw))
	for k, v := range raw {
		out[k] = v
	}
	return out
}

// shown is a field's JSON as a message quotes it: absent fields are
// "(none)", long values are cut.
func shown(v []byte) string {
	if v == nil {
		return "(none)"
	}
	const max = 120
	if s := string(v); len(s) > max {
		return s[:max] + "…"
	}
	return string(v)
}

func shortHash(h string) string {
	if len(h) > 19 {
		return h[:19]
	}
	return h
}
