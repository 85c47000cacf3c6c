package scorecard

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/policy"
)

// timeline is what the history says of one campaign.
type timeline struct {
	name, file string
	// requested is when the campaign entered the history (its first
	// commit); firstLaunch the launch date that commit gave it.
	requested   time.Time
	firstLaunch string
	// launch, intake and end are as of the last commit read.
	launch, intake, end string
	removed             bool
	// firstChecked is set when the first version was validated; then
	// firstDenies and firstRules are its deny findings.
	firstChecked bool
	firstDenies  int
	firstRules   []string
	// passed is the date of the first version with no deny finding.
	passed time.Time
}

// history replays commit facts into campaign timelines.
type history struct {
	campaigns map[string]*timeline
	order     []string
	slas      []slaDef
}

func newHistory() *history { return &history{campaigns: map[string]*timeline{}} }

// needs tells the walker which campaigns to validate: new ones, and those
// no version of which has passed yet (for request-turnaround).
func (h *history) needs(name string) bool {
	t, ok := h.campaigns[name]
	return !ok || t.passed.IsZero()
}

func (h *history) apply(f commitFacts) {
	if f.SLAChanged {
		h.slas = f.SLAs
	}
	for _, v := range f.Versions {
		t, ok := h.campaigns[v.Name]
		if !ok {
			if v.Removed {
				continue
			}
			t = &timeline{name: v.Name, requested: f.When, firstLaunch: v.Launch,
				firstChecked: v.Checked, firstDenies: v.Denies, firstRules: v.Rules}
			h.campaigns[v.Name] = t
			h.order = append(h.order, v.Name)
		}
		t.removed = v.Removed
		if v.Removed {
			continue
		}
		t.file, t.launch, t.intake, t.end = v.File, v.Launch, v.Intake, v.End
		if v.Checked && v.Denies == 0 && t.passed.IsZero() {
			t.passed = f.When
		}
	}
}

// weekStart returns the Monday of t's week, at midnight UTC.
func weekStart(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// fill computes the weekly figures of r from the timelines.
func (h *history) fill(r *Report, opts Options) error {
	first, last := weekStart(opts.Since), weekStart(opts.Until)
	index := map[time.Time]int{}
	for w := first; !w.After(last); w = w.AddDate(0, 0, 7) {
		index[w] = len(r.Weeks)
		r.Weeks = append(r.Weeks, Week{Start: w.Format(dateLayout), SLAs: make([]Share, len(h.slas))})
	}
	until := day(opts.Until)
	slas := make([]measure, len(h.slas))
	for i, s := range h.slas {
		m, sla := newMeasure(s)
		slas[i], r.SLAs = m, append(r.SLAs, sla)
	}
	cycle := map[int][]Campaign{}
	for _, name := range h.order {
		t := h.campaigns[name]
		if t.removed {
			continue
		}
		ref := Campaign{Name: t.name, File: t.file}
		// Requested: first-time pass and request-turnaround.
		if wi, ok := index[weekStart(t.requested)]; ok && !day(t.requested).After(until) {
			wk := &r.Weeks[wi]
			if t.firstChecked {
				c := ref
				c.Detail = "first version passed"
				if t.firstDenies > 0 {
					c.Detail = fmt.Sprintf("first version had %d deny finding(s): %s", t.firstDenies, strings.Join(t.firstRules, ", "))
				}
				wk.FirstTimePass.add(c, t.firstDenies == 0)
			}
			for i, m := range slas {
				if m.onRequest != nil {
					if met, detail, ok := m.onRequest(t, until); ok {
						c := ref
						c.Detail = detail
						wk.SLAs[i].add(c, met)
					}
				}
			}
		}
		// Launched: cycle time, on-time and lead-time SLAs.
		launch, err := time.Parse(dateLayout, t.launch)
		if err != nil || launch.After(until) {
			continue
		}
		wi, ok := index[weekStart(launch)]
		if !ok {
			continue
		}
		wk := &r.Weeks[wi]
		days := float64(policy.DaysBetween(day(t.requested), launch))
		if days < 0 {
			continue // recorded after it launched: no request to measure from
		}
		c := ref
		c.Days, c.Detail = &days, fmt.Sprintf("requested %s, launched %s", t.requested.UTC().Format(dateLayout), t.launch)
		cycle[wi] = append(cycle[wi], c)
		c = ref
		c.Detail = fmt.Sprintf("launched %s; first committed launch date %s", t.launch, t.firstLaunch)
		wk.OnTime.add(c, t.launch <= t.firstLaunch)
		for i, m := range slas {
			if m.onLaunch != nil {
				met, detail := m.onLaunch(t, launch)
				c := ref
				c.Detail = detail
				wk.SLAs[i].add(c, met)
			}
		}
	}
	for wi, cs := range cycle {
		r.Weeks[wi].CycleTime = spread(cs)
	}
	for i := range r.Weeks {
		wk := &r.Weeks[i]
		for _, s := range append([]*Share{&wk.OnTime, &wk.FirstTimePass}, pointers(wk.SLAs)...) {
			s.finish()
		}
		if wk.CycleTime.Campaigns == nil {
			wk.CycleTime.Campaigns = []Campaign{}
		}
	}
	return nil
}

func pointers(ss []Share) []*Share {
	out := make([]*Share, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}

func (s *Share) add(c Campaign, met bool) {
	c.Met = &met
	s.Campaigns = append(s.Campaigns, c)
	s.Total++
	if met {
		s.Met++
	}
}

func (s *Share) finish() {
	if s.Campaigns == nil {
		s.Campaigns = []Campaign{}
	}
	if s.Total > 0 {
		p := math.Round(1000*float64(s.Met)/float64(s.Total)) / 10
		s.Percent = &p
	}
}

// spread computes the median (the mean of the two middle values when the
// count is even) and the 90th percentile (nearest rank: the value at
// position ceil(0.9 n) in ascending order) of the campaigns' days.
func spread(cs []Campaign) Spread {
	days := make([]float64, len(cs))
	for i, c := range cs {
		days[i] = *c.Days
	}
	slices.Sort(days)
	n := len(days)
	median := days[n/2]
	if n%2 == 0 {
		median = (days[n/2-1] + days[n/2]) / 2
	}
	p90 := days[int(math.Ceil(0.9*float64(n)))-1]
	return Spread{Median: &median, P90: &p90, Campaigns: cs}
}

// measure computes one SLA's attainment: onLaunch for SLAs measured on
// launched campaigns (bucketed by launch week), onRequest for those
// measured on requests (bucketed by request week; ok false while the
// outcome is still open).
type measure struct {
	onLaunch  func(t *timeline, launch time.Time) (met bool, detail string)
	onRequest func(t *timeline, until time.Time) (met bool, detail string, ok bool)
}

func newMeasure(s slaDef) (measure, SLA) {
	sla := SLA{Name: s.Name, File: s.File, Type: s.Type, Target: s.Target}
	d, err := policy.ParseDuration(s.Target)
	if err != nil {
		sla.Why = fmt.Sprintf("target %q is not a duration (sla.target reports it)", s.Target)
		return measure{}, sla
	}
	var holidays []time.Time
	for _, h := range s.Holidays {
		if t, err := time.Parse(dateLayout, h); err == nil {
			holidays = append(holidays, t)
		}
	}
	// elapsed counts from a to b as the target does: business days less
	// the SLA's holidays, or calendar days (fractional for hours).
	elapsed := func(a, b time.Time) float64 {
		if d.Business {
			return float64(policy.BusinessDaysExcept(day(a), day(b), holidays))
		}
		return b.Sub(a).Hours() / 24
	}
	unit := "days"
	if d.Business {
		unit = "business days"
	}
	switch s.Type {
	case "campaign-lead-time":
		sla.Measured = true
		return measure{onLaunch: func(t *timeline, launch time.Time) (bool, string) {
			got := elapsed(day(t.requested), launch)
			return got >= d.Days, fmt.Sprintf("%g %s from request %s to launch %s; at least %s", got, unit, t.requested.UTC().Format(dateLayout), t.launch, s.Target)
		}}, sla
	case "request-turnaround":
		sla.Measured = true
		return measure{onRequest: func(t *timeline, until time.Time) (bool, string, bool) {
			if !t.passed.IsZero() {
				got := elapsed(t.requested, t.passed)
				return got <= d.Days, fmt.Sprintf("passed QA %g %s after the request; at most %s", round(got), unit, s.Target), true
			}
			if got := elapsed(t.requested, until.AddDate(0, 0, 1)); got > d.Days {
				return false, fmt.Sprintf("not passing QA %g %s after the request; at most %s", round(got), unit, s.Target), true
			}
			return false, "", false
		}}, sla
	default:
		sla.Why = "measured on CRM records as they change stage, which the git history does not hold"
		return measure{}, sla
	}
}

func round(x float64) float64 { return math.Round(x*10) / 10 }
