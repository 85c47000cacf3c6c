package repogen

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
)

// HistoryOptions shape a generated history.
type HistoryOptions struct {
	// Campaigns is the number of campaigns requested over the history, and
	// Commits the number of commits it takes (each commit carries the
	// events that fell since the one before).
	Campaigns, Commits int
	// End is the date of the last commit; the history spans Weeks weeks
	// before it.
	End   time.Time
	Weeks int
}

// event is one change to one campaign file at a moment of the history.
type event struct {
	when time.Time
	path string
	data []byte
	what string
}

// History returns the commits of a governance repository that grew over
// the weeks before End: the base's governance documents first, then
// Campaigns campaigns, each requested (first committed) on a day of the
// history and launching four to seven weeks later, in folders by launch
// quarter. Campaign i behaves the same whatever the totals:
//
//   - one in twelve is a rush: committed one to two weeks before launch
//     (its intake logged three weeks before that), missing the lead-time
//     SLA as the history measures it;
//   - one in seven is first committed with a QA defect (utm.campaign not
//     derived from the name, a link without utm_campaign, or no audience
//     segment) and fixed one to six days later;
//   - one in five has its launch date slipped by one to three weeks a few
//     days before it launches, so it launches late;
//   - halfway, the campaign-lead-time SLA gains the year's holidays.
//
// base holds the base repository's files (see baseFiles).
func History(base map[string][]byte, opts HistoryOptions) ([]Commit, error) {
	if opts.Commits < 2 || opts.Campaigns < 0 || opts.Weeks < 1 {
		return nil, fmt.Errorf("a history needs at least 2 commits and 1 week (got %d commits, %d weeks)", opts.Commits, opts.Weeks)
	}
	end := time.Date(opts.End.Year(), opts.End.Month(), opts.End.Day(), 17, 0, 0, 0, time.UTC)
	start := end.AddDate(0, 0, -7*opts.Weeks)
	span := end.Sub(start)
	var events []event
	for i := 1; i <= opts.Campaigns; i++ {
		events = append(events, campaignEvents(i, start, span, opts.Campaigns)...)
	}
	if sla, ok := base["slas/campaign-lead-time.yaml"]; ok {
		half := start.Add(span / 2)
		events = append(events, event{when: half, path: "slas/campaign-lead-time.yaml", what: "lead-time SLA skips holidays",
			data: withHolidays(sla, half.Year())})
	}
	slices.SortStableFunc(events, func(a, b event) int { return a.when.Compare(b.when) })

	first := Commit{When: start.Add(-time.Hour), Author: "Dana Whitfield <dana.whitfield@acme.example>", Message: "Governance repository", Files: map[string][]byte{}}
	for p, data := range base {
		first.Files[p] = data
	}
	commits := []Commit{first}
	// Commits fall on evenly spaced moments of the working hours (Monday
	// to Friday, 9:00 to 17:00); each carries the events since the
	// previous one. Moments that carry nothing are skipped, so the count
	// is at most Commits.
	hours := float64(5*8*opts.Weeks) / float64(opts.Commits-1)
	next := 0
	authors := []string{"Priya Raman <priya.raman@acme.example>", "Marco Silva <marco.silva@acme.example>", "Aiko Tanaka <aiko.tanaka@acme.example>"}
	for k := 1; k < opts.Commits; k++ {
		at := workingMoment(start, hours*float64(k))
		if k == opts.Commits-1 || at.After(end) {
			at = end
		}
		c := Commit{When: at, Author: authors[k%len(authors)], Files: map[string][]byte{}}
		var whats []string
		for ; next < len(events) && !events[next].when.After(at); next++ {
			e := events[next]
			c.Files[e.path] = e.data
			whats = append(whats, e.what)
		}
		if len(c.Files) == 0 {
			continue
		}
		c.Message = summary(whats)
		commits = append(commits, c)
	}
	return commits, nil
}

// workingMoment is the moment h working hours (Monday to Friday, 9:00 to
// 17:00) after the start of start's week's Monday, 9:00.
func workingMoment(start time.Time, h float64) time.Time {
	monday := time.Date(start.Year(), start.Month(), start.Day(), 9, 0, 0, 0, time.UTC)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday()) + 6) % 7))
	week, rest := int(h/40), h-40*float64(int(h/40))
	day := int(rest / 8)
	within := time.Duration((rest - 8*float64(day)) * float64(time.Hour))
	return monday.AddDate(0, 0, 7*week+day).Add(within)
}

// summary is a commit message for the events it carries.
func summary(whats []string) string {
	if len(whats) == 1 {
		return whats[0]
	}
	return fmt.Sprintf("%s (and %d more)", whats[0], len(whats)-1)
}

// campaignEvents are the commits that touch campaign i: its request, a QA
// fix, a launch slip.
func campaignEvents(i int, start time.Time, span time.Duration, total int) []event {
	g := Campaign(i)
	c := &chooser{state: mix(uint64(i) ^ 0x5eed)}
	// Requested at a moment of the history (spread evenly, jittered), in
	// working hours; launches four to seven weeks later on a weekday.
	frac := (float64(i) - 0.5 + float64(c.intn(1000))/1000 - 0.5) / float64(total)
	requested := start.Add(time.Duration(frac * float64(span)))
	requested = weekdayOnOrAfter(time.Date(requested.Year(), requested.Month(), requested.Day(), 9+c.intn(8), c.intn(60), 0, 0, time.UTC))
	g.Intake = weekdayOnOrBefore(requested)
	g.Launch = weekdayOnOrAfter(requested.AddDate(0, 0, 28+c.intn(22)))
	if c.intn(12) == 0 {
		// A rush: the request reached the repository late (intake was
		// logged three weeks earlier), launching one to two weeks later.
		g.Intake = weekdayOnOrBefore(requested.AddDate(0, 0, -21))
		g.Launch = weekdayOnOrAfter(requested.AddDate(0, 0, 7+c.intn(7)))
	}
	g.End = g.Launch.AddDate(0, 0, 14+c.intn(77))
	g.FY = g.Launch.Year() % 100
	g.Quarter = (int(g.Launch.Month())-1)/3 + 1
	p := fmt.Sprintf("%s/%d/q%d/gen-%05d.yaml", CampaignDir, g.Launch.Year(), g.Quarter, i)
	// QA is recorded as done once the campaign launched: the history is
	// written as if each version were committed before its launch.
	render := func(g Generated, defect int) []byte {
		var b bytes.Buffer
		g.write(&b)
		s := b.String()
		switch defect {
		case 1: // renamed, utm.campaign left behind
			s = strings.Replace(s, "campaign: "+g.UTMCampaign(), "campaign: "+strings.Replace(g.UTMCampaign(), g.Slug, "draft_"+g.Slug, 1), 1)
			s = strings.Replace(s, "utm_campaign="+g.UTMCampaign(), "utm_campaign="+strings.Replace(g.UTMCampaign(), g.Slug, "draft_"+g.Slug, 1), 1)
		case 2: // a link without utm_campaign
			s = strings.Replace(s, "&utm_campaign="+g.UTMCampaign(), "", 1)
		case 3: // no audience segment
			s = strings.Replace(s, "    segment: "+g.Segment+"\n", "", 1)
		}
		return []byte(s)
	}
	var out []event
	defect := 0
	if c.intn(7) == 0 {
		defect = 1 + c.intn(3)
	}
	out = append(out, event{when: requested, path: p, data: render(g, defect), what: "Request " + g.MetadataName()})
	if defect > 0 {
		fixed := requested.Add(time.Duration(1+c.intn(6)) * 24 * time.Hour)
		out = append(out, event{when: fixed, path: p, data: render(g, 0), what: "QA fix for " + g.MetadataName()})
	}
	if c.intn(5) == 0 && g.Launch.Sub(requested) > 9*24*time.Hour {
		slip := g
		slip.Launch = weekdayOnOrAfter(g.Launch.AddDate(0, 0, 7*(1+c.intn(3))))
		slip.End = slip.End.AddDate(0, 0, int(slip.Launch.Sub(g.Launch).Hours()/24))
		at := g.Launch.AddDate(0, 0, -(2 + c.intn(5)))
		if min := requested.Add(7 * 24 * time.Hour); at.Before(min) {
			at = min
		}
		at = time.Date(at.Year(), at.Month(), at.Day(), 11, 0, 0, 0, time.UTC)
		out = append(out, event{when: at, path: p, data: render(slip, 0), what: "Move the launch of " + g.MetadataName()})
	}
	return out
}

// withHolidays adds year's and the next year's public holidays (those
// Acme observes company-wide) to an SLA document.
func withHolidays(sla []byte, year int) []byte {
	var days []string
	for _, y := range []int{year, year + 1} {
		days = append(days, fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-25", y), fmt.Sprintf("%d-12-26", y))
	}
	var kept []string
	for _, l := range strings.Split(strings.TrimRight(string(sla), "\n"), "\n") {
		if !strings.HasPrefix(l, "  holidays:") { // the base's own list gives way
			kept = append(kept, l)
		}
	}
	return []byte(strings.Join(kept, "\n") + "\n  holidays: [" + strings.Join(days, ", ") + "]\n")
}

// ExampleHistory returns the commits of a believable history of the
// example repository in dir (examples/acme): its governance documents on
// the first day, then each campaign document committed six weeks before
// its launch (or, for those launching later, spread over the last weeks
// before end), appended to its file. Every fourth campaign is first
// committed without its audience segment and fixed two days later; every
// sixth is first committed a week earlier than it launches, and moved
// when it slips. The last commit leaves the tree exactly as dir is.
func ExampleHistory(dir string, end time.Time) ([]Commit, error) {
	files, err := exampleFiles(dir)
	if err != nil {
		return nil, err
	}
	type doc struct {
		file    string
		text    string
		launch  time.Time
		request time.Time
	}
	var docs []doc
	gov := map[string][]byte{}
	for p, data := range files {
		if !strings.HasPrefix(p, CampaignDir+"/") {
			gov[p] = data
			continue
		}
		parts := strings.Split(string(data), "\n---\n")
		for i, text := range parts {
			if i < len(parts)-1 {
				text += "\n"
			}
			launch, ok := field(text, "launchDate:")
			if !ok {
				return nil, fmt.Errorf("%s: a campaign without launchDate", p)
			}
			docs = append(docs, doc{file: p, text: text, launch: launch})
		}
	}
	slices.SortStableFunc(docs, func(a, b doc) int { return a.launch.Compare(b.launch) })
	last := time.Date(end.Year(), end.Month(), end.Day(), 16, 0, 0, 0, time.UTC)
	first := last
	for i := range docs {
		// Requested four to eight weeks ahead, at a working hour.
		c := &chooser{state: uint64(i) + 1}
		docs[i].request = docs[i].launch.AddDate(0, 0, -(28 + c.intn(29))).Add(time.Duration(9+c.intn(8)) * time.Hour)
		if docs[i].request.Before(first) {
			first = docs[i].request
		}
	}
	// Campaigns requested after end are spread over its last three weeks.
	var late []int
	for i := range docs {
		if docs[i].request.After(last.AddDate(0, 0, -21)) {
			late = append(late, i)
		}
	}
	for k, i := range late {
		docs[i].request = last.AddDate(0, 0, -21).Add(time.Duration(k+1) * 21 * 24 * time.Hour / time.Duration(len(late)+1))
	}
	var events []event
	for i, d := range docs {
		text := d.text
		if i%6 == 5 {
			if early, ok := shiftLaunch(text, -7); ok {
				text = early
				events = append(events, event{when: d.launch.AddDate(0, 0, -10).Add(11 * time.Hour), path: d.file, what: "Move the launch of " + name(d.text), data: nil})
			}
		}
		if i%4 == 3 {
			if broken, ok := withoutSegment(text); ok {
				events = append(events, event{when: d.request.Add(48 * time.Hour), path: d.file, what: "QA fix for " + name(d.text)})
				text = broken
			}
		}
		events = append(events, event{when: d.request, path: d.file, what: "Request " + name(d.text), data: []byte(text)})
	}
	// Replay the events in time order over the files' documents: an event
	// with data sets the document's first version; one without sets its
	// final text.
	slices.SortStableFunc(events, func(a, b event) int { return a.when.Compare(b.when) })
	current := map[string][]string{} // file -> document texts in order of request
	index := map[string]int{}        // campaign name -> position in its file
	final := map[string]string{}
	for _, d := range docs {
		final[name(d.text)] = d.text
	}
	commits := []Commit{{When: first.AddDate(0, 0, -7), Author: "Dana Whitfield <dana.whitfield@acme.example>", Message: "Governance repository for Acme Analytics", Files: gov}}
	for _, e := range events {
		n := name(string(e.data))
		if e.data == nil {
			n = strings.TrimPrefix(strings.TrimPrefix(e.what, "QA fix for "), "Move the launch of ")
		}
		text := final[n]
		if e.data != nil {
			text = string(e.data)
		}
		pos, ok := index[n]
		if !ok {
			pos = len(current[e.path])
			index[n] = pos
			current[e.path] = append(current[e.path], text)
		} else if e.data == nil {
			current[e.path][pos] = fixOnly(current[e.path][pos], final[n], e.what)
		}
		body := strings.Join(current[e.path], "---\n")
		when := e.when
		if when.After(last) {
			when = last
		}
		if prev := commits[len(commits)-1].When; !when.After(prev) {
			when = prev.Add(time.Minute)
		}
		commits = append(commits, Commit{When: when, Author: "Priya Raman <priya.raman@acme.example>", Message: e.what, Files: map[string][]byte{e.path: []byte(body)}})
	}
	// The files as they stand (order of documents, comments between them).
	c := Commit{When: commits[len(commits)-1].When.Add(time.Hour), Author: "Dana Whitfield <dana.whitfield@acme.example>", Message: "Tidy the campaign files", Files: map[string][]byte{}}
	for p, data := range files {
		if strings.HasPrefix(p, CampaignDir+"/") {
			c.Files[p] = data
		}
	}
	return append(commits, c), nil
}

// fixOnly applies to a document's current text the part of its final text
// that the event named: the segment for a QA fix, the launch and end
// dates for a slip.
func fixOnly(current, final, what string) string {
	if strings.HasPrefix(what, "QA fix") {
		seg := line(final, "    segment:")
		return strings.Replace(current, "    consent:", seg+"\n    consent:", 1)
	}
	for _, key := range []string{"  launchDate:", "  endDate:"} {
		current = strings.Replace(current, line(current, key), line(final, key), 1)
	}
	return current
}

func line(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

func field(text, key string) (time.Time, bool) {
	l := strings.TrimSpace(line(text, "  "+key))
	t, err := time.Parse(dateLayout, strings.TrimSpace(strings.TrimPrefix(l, key)))
	return t, err == nil
}

func name(text string) string {
	return strings.TrimSpace(strings.TrimPrefix(line(text, "  name: "), "  name: "))
}

// shiftLaunch moves launchDate and endDate by days.
func shiftLaunch(text string, days int) (string, bool) {
	for _, key := range []string{"launchDate:", "endDate:"} {
		t, ok := field(text, key)
		if !ok {
			return text, false
		}
		text = strings.Replace(text, "  "+key+" "+t.Format(dateLayout), "  "+key+" "+t.AddDate(0, 0, days).Format(dateLayout), 1)
	}
	return text, true
}

func withoutSegment(text string) (string, bool) {
	l := line(text, "    segment:")
	if l == "" {
		return text, false
	}
	return strings.Replace(text, l+"\n", "", 1), true
}

// exampleFiles reads every file of dir but .mops/ and .git/.
func exampleFiles(dir string) (map[string][]byte, error) {
	return readTree(dir, func(top string) bool { return top == ".mops" || top == ".git" })
}
