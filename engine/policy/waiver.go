package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
	"github.com/mops-dev/mops/engine/suggest"
)

// Waiver is one entry of a document's metadata.waivers: it silences one
// rule on that document until a date.
type Waiver struct {
	Rule       string
	Until      string
	Reason     string
	ApprovedBy string
	// Index is the waiver's position in metadata.waivers.
	Index int
}

func (w Waiver) path(field string) string {
	p := fmt.Sprintf("metadata.waivers[%d]", w.Index)
	if field != "" {
		p += "." + field
	}
	return p
}

// waiversOf reads a document's waivers.
func waiversOf(d *model.Document) []Waiver {
	meta, _ := d.Value["metadata"].(map[string]any)
	list, _ := meta["waivers"].([]any)
	out := make([]Waiver, 0, len(list))
	for i, item := range list {
		m, _ := item.(map[string]any)
		str := func(k string) string { s, _ := m[k].(string); return s }
		out = append(out, Waiver{Rule: str("rule"), Until: str("until"), Reason: str("reason"), ApprovedBy: str("approvedBy"), Index: i})
	}
	return out
}

// waiverCheck applies waivers for one run.
type waiverCheck struct {
	e     *Engine
	today time.Time
	roles map[string]bool
}

func newWaiverCheck(e *Engine, b *model.Bundle, today time.Time) *waiverCheck {
	w := &waiverCheck{e: e, today: today, roles: map[string]bool{}}
	for _, d := range b.ByKind(model.KindRACI) {
		roles, _ := d.Spec()["roles"].([]any)
		for _, r := range roles {
			m, _ := r.(map[string]any)
			if id, ok := m["id"].(string); ok {
				w.roles[id] = true
			}
		}
	}
	return w
}

// waivable reports whether a finding of rule may be waived: the engine's
// checks of waivers and of policies themselves may not.
func waivable(rule string) bool {
	return !strings.HasPrefix(rule, "waiver.") && !strings.HasPrefix(rule, "policy.")
}

// check checks d's waivers: it returns the rules the valid, unexpired ones
// silence, and findings about the waivers themselves.
func (w *waiverCheck) check(d *model.Document) (map[string]Waiver, []source.Finding) {
	waivers := waiversOf(d)
	if len(waivers) == 0 {
		return nil, nil
	}
	active := map[string]Waiver{}
	var out []source.Finding
	for _, wv := range waivers {
		problems := w.problems(d, wv)
		out = append(out, problems...)
		if len(problems) > 0 {
			continue // an invalid or expired waiver silences nothing
		}
		if _, dup := active[wv.Rule]; !dup {
			active[wv.Rule] = wv
		}
	}
	return active, out
}

// markWaived marks the findings of fs that a waiver of active covers.
func markWaived(fs []source.Finding, active map[string]Waiver) {
	for i, f := range fs {
		if wv, ok := active[f.Rule]; ok && waivable(f.Rule) {
			fs[i].Waived = true
			fs[i].WaiverReason = fmt.Sprintf("%s (waived until %s, approved by %s)", wv.Reason, wv.Until, wv.ApprovedBy)
		}
	}
}

// problems returns the findings about one waiver. A waiver with any
// finding silences nothing: it is invalid, expired, or names a rule no
// finding has.
func (w *waiverCheck) problems(d *model.Document, wv Waiver) []source.Finding {
	var out []source.Finding
	var missing []string
	for _, f := range []struct{ name, v string }{{"rule", wv.Rule}, {"until", wv.Until}, {"reason", wv.Reason}, {"approvedBy", wv.ApprovedBy}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return append(out, d.Finding(RuleWaiverInvalid, source.Deny, wv.path(""),
			fmt.Sprintf("waiver needs %s; it silences nothing until it has rule, until, reason and approvedBy", strings.Join(missing, ", "))))
	}
	until, err := parseDate(wv.Until)
	if err != nil {
		return append(out, d.Finding(RuleWaiverInvalid, source.Deny, wv.path("until"),
			fmt.Sprintf("waiver until: %v; it silences nothing until fixed", err)))
	}
	if !w.e.known[wv.Rule] {
		out = append(out, d.Finding(RuleWaiverUnknownRule, source.Warn, wv.path("rule"),
			fmt.Sprintf("waiver names rule %s, which no policy reports%s", wv.Rule, suggestRule(wv.Rule, w.e.known))))
	} else if !waivable(wv.Rule) {
		out = append(out, d.Finding(RuleWaiverUnknownRule, source.Warn, wv.path("rule"),
			fmt.Sprintf("rule %s cannot be waived", wv.Rule)))
	}
	if !w.roles[wv.ApprovedBy] {
		out = append(out, d.Finding(RuleWaiverApprover, source.Deny, wv.path("approvedBy"),
			fmt.Sprintf("waiver approvedBy '%s' is not a RACI role%s; a waiver must be approved by one", wv.ApprovedBy, suggestRule(wv.ApprovedBy, w.roles))))
	}
	added := w.today
	if w.e.opts.AddedAt != nil {
		if t := w.e.opts.AddedAt(d, wv); !t.IsZero() {
			y, m, dd := t.Date()
			added = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
		}
	}
	if days := DaysBetween(added, until); days > MaxWaiverDays {
		out = append(out, d.Finding(RuleWaiverTooLong, source.Deny, wv.path("until"),
			fmt.Sprintf("waiver runs until %s, %d days after it was added on %s; at most %d days are allowed",
				wv.Until, days, added.Format(dateLayout), MaxWaiverDays)))
	}
	if until.Before(w.today) {
		out = append(out, d.Finding(RuleWaiverExpired, source.Warn, wv.path("until"),
			fmt.Sprintf("waiver for %s expired on %s and is ignored; renew it or fix the finding", wv.Rule, wv.Until)))
	}
	return out
}

func suggestRule(x string, known map[string]bool) string {
	if s := suggest.Closest(x, sortedKeys(known)); s != "" && s != x {
		return fmt.Sprintf("; did you mean '%s'?", s)
	}
	return ""
}
