package scorecard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
)

// base holds the governance documents of the constructed history: the
// policy tests' clean repository (taxonomies, naming, RACI, consent,
// lifecycle) with SLAs of its own.
func base(t *testing.T, r *gitrepotest.Repo) {
	t.Helper()
	src := filepath.Join("..", "policy", "testdata", "base")
	for _, f := range []string{"taxonomies.yaml", "naming.yaml", "raci.yaml", "consent.yaml", "lifecycle.yaml"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		r.Write(map[string]string{f: string(data)})
	}
	r.Write(map[string]string{
		"mops.yaml": `apiVersion: mops.dev/v1
kind: Project
metadata: {name: acme}
spec:
  changelog: .mops/changelog
  systems:
    - {name: sandbox, type: sandbox, state: .mops/sandbox.json}
    - {name: hubspot-prod, type: hubspot, tokenEnv: HUBSPOT_TOKEN}
`,
		"sla.yaml": `apiVersion: mops.dev/v1
kind: SLA
metadata: {name: campaign-lead-time}
spec:
  type: campaign-lead-time
  target: 5bd
  holidays: [2026-03-13]
---
apiVersion: mops.dev/v1
kind: SLA
metadata: {name: request-turnaround}
spec: {type: request-turnaround, target: 2d}
---
apiVersion: mops.dev/v1
kind: SLA
metadata: {name: mql-follow-up}
spec: {type: stage-response, target: 24h}
`,
	})
}

// campaign is a clean campaign named slug launching on launch; leadSource
// "tradeshow" (not a value of lead-source) makes it fail campaign.taxonomy.
func campaign(slug, leadSource, launch string) string {
	return fmt.Sprintf(`apiVersion: mops.dev/v1
kind: Campaign
metadata: {name: %[1]s, owner: demand-gen}
spec:
  name: FY26-Q1-emea-email-%[1]s
  channel: email
  type: nurture
  regions: [emea]
  leadSource: %[2]s
  intakeDate: 2026-02-02
  launchDate: %[3]s
  endDate: 2026-06-30
  audience:
    segment: emea-prospects
    consent: {basis: consent, subscriptionType: marketing-newsletter}
  utm: {source: newsletter, medium: email, campaign: fy26-q1-emea-email-%[1]s}
  qa: {links: passed, tracking: passed, segmentation: passed, consent: passed, rendering: passed}
`, slug, leadSource, launch)
}

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// constructed builds the history of the tests. Weeks start on Mondays: A is
// 2026-03-02, B 2026-03-09, C 2026-03-16.
//
//	alpha    requested Mon A 10:00, clean, launches Wed 03-11 (B)
//	beta     requested Tue A 10:00 failing (leadSource tradeshow), launch
//	         03-12; fixed Fri 03-06 10:00, launch slipped to Wed 03-18 (C)
//	zeta     requested Wed A, removed Mon B: counts nowhere
//	gamma    requested Tue B 10:00, clean, launches Fri 03-13 (B), a
//	         holiday of the lead-time SLA
//	delta    requested Wed B 10:00 failing, never fixed, launches 04-30
//	epsilon  requested Sat C 10:00 failing, never fixed, launches 04-30
func constructed(t *testing.T) string {
	r := gitrepotest.New(t)
	base(t, r)
	r.CommitAt("governance", at("2026-03-02 09:00"))
	r.Write(map[string]string{"campaigns/alpha.yaml": campaign("alpha", "webinar", "2026-03-11")})
	r.CommitAt("alpha", at("2026-03-02 10:00"))
	r.Write(map[string]string{"campaigns/beta.yaml": campaign("beta", "tradeshow", "2026-03-12")})
	r.CommitAt("beta", at("2026-03-03 10:00"))
	r.Write(map[string]string{"campaigns/zeta.yaml": campaign("zeta", "webinar", "2026-03-20")})
	r.CommitAt("zeta", at("2026-03-04 10:00"))
	r.Write(map[string]string{"campaigns/beta.yaml": campaign("beta", "webinar", "2026-03-18")})
	r.CommitAt("fix beta, slip its launch", at("2026-03-06 10:00"))
	r.Remove("campaigns/zeta.yaml")
	r.CommitAt("cancel zeta", at("2026-03-09 10:00"))
	r.Write(map[string]string{"campaigns/gamma.yaml": campaign("gamma", "webinar", "2026-03-13")})
	r.CommitAt("gamma", at("2026-03-10 10:00"))
	r.Write(map[string]string{"campaigns/delta.yaml": campaign("delta", "tradeshow", "2026-04-30")})
	r.CommitAt("delta", at("2026-03-11 10:00"))
	r.Write(map[string]string{"campaigns/epsilon.yaml": campaign("epsilon", "tradeshow", "2026-04-30")})
	r.CommitAt("epsilon", at("2026-03-21 10:00"))
	r.Write(map[string]string{"campaigns/late.yaml": campaign("late", "webinar", "2026-05-04")})
	r.CommitAt("after --until: not counted", at("2026-03-24 10:00"))

	// The change log: one apply run in week B with one applied change,
	// and one failed change in week C (not counted).
	log, err := changelog.Open(filepath.Join(r.Dir, ".mops", "changelog"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []changelog.Record{
		{Time: at("2026-03-10 12:00"), Type: changelog.RunStart, Result: changelog.ResultStarted},
		{Time: at("2026-03-10 12:01"), Type: changelog.Change, Result: changelog.ResultApplied},
		{Time: at("2026-03-17 12:01"), Type: changelog.Change, Result: changelog.ResultFailed},
	} {
		if _, err := log.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	return r.Dir
}

// figure is one figure of one week, as the test compares it.
type figure struct {
	Week, What string
	Value      string
}

func figures(r *Report) []figure {
	var out []figure
	for _, w := range r.Weeks {
		out = append(out,
			figure{w.Start, "cycle", days(w.CycleTime.Median) + " / " + days(w.CycleTime.P90)},
			figure{w.Start, "on-time", share(w.OnTime)},
			figure{w.Start, "first-time pass", share(w.FirstTimePass)},
			figure{w.Start, "changes", fmt.Sprintf("%d in %d runs", w.Changes, w.Runs)},
		)
		for i, s := range r.SLAs {
			if s.Measured {
				out = append(out, figure{w.Start, s.Name, share(w.SLAs[i])})
			}
		}
	}
	return out
}

func compute(t *testing.T, dir string, noCache bool) *Report {
	t.Helper()
	r, err := Compute(context.Background(), Options{Dir: dir, Since: at("2026-03-02 00:00"), Until: at("2026-03-22 00:00"), NoCache: noCache})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestWeeklyFigures checks every history metric on the constructed history
// against values computed by hand:
//
// Week A (03-02): nothing launched. First-time pass: alpha passed, beta
// failed (zeta was removed, so it does not count): 1/2. Request turnaround
// (2d): alpha passed at once (0 days), beta passed 3.0 days after its
// request (03-03 10:00 to 03-06 10:00): 1/2.
//
// Week B (03-09): alpha launched 03-11, 9 days after its request on 03-02;
// gamma 03-13, 3 days after 03-10. Median (3+9)/2 = 6, p90 the value at
// rank ceil(0.9*2) = 2: 9. Both launched on their first committed date:
// 2/2. Lead time (5bd, 03-13 a holiday): alpha has the weekdays 03-03 to
// 03-11, 7, met; gamma 03-11, 03-12 and 03-13 less the holiday, 2, missed:
// 1/2. First-time pass: gamma passed, delta failed: 1/2. Turnaround:
// gamma met; delta never passed and 11.6 days passed by the end of
// 03-22: missed: 1/2. The change log: 1 applied change in 1 run.
//
// Week C (03-16): beta launched 03-18, 15 days after 03-03: median and p90
// 15. Its first committed launch date was 03-12: on time 0/1. Lead time:
// the weekdays 03-04 to 03-18 are 11, less the holiday, 10: met, 1/1.
// First-time pass: epsilon failed, 0/1. Turnaround: epsilon is 1.6 days
// old at the end of 03-22, within 2d and not passed: not counted yet.
// The failed change does not count.
//
// The commit of 03-24 is after --until and changes nothing.
func TestWeeklyFigures(t *testing.T) {
	dir := constructed(t)
	r := compute(t, dir, false)
	const A, B, C = "2026-03-02", "2026-03-09", "2026-03-16"
	want := []figure{
		{A, "cycle", "– / –"}, {A, "on-time", "–"}, {A, "first-time pass", "50% (1/2)"}, {A, "changes", "0 in 0 runs"},
		{A, "campaign-lead-time", "–"}, {A, "request-turnaround", "50% (1/2)"},
		{B, "cycle", "6d / 9d"}, {B, "on-time", "100% (2/2)"}, {B, "first-time pass", "50% (1/2)"}, {B, "changes", "1 in 1 runs"},
		{B, "campaign-lead-time", "50% (1/2)"}, {B, "request-turnaround", "50% (1/2)"},
		{C, "cycle", "15d / 15d"}, {C, "on-time", "0% (0/1)"}, {C, "first-time pass", "0% (0/1)"}, {C, "changes", "0 in 0 runs"},
		{C, "campaign-lead-time", "100% (1/1)"}, {C, "request-turnaround", "–"},
	}
	if diff := cmp.Diff(want, figures(r)); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
	if r.Commits != 9 || r.Computed != 9 {
		t.Errorf("read %d commits, computed %d; want 9 and 9 (the 03-24 commit is after --until)", r.Commits, r.Computed)
	}
	// stage-response SLAs are listed, not measured.
	if s := r.SLAs[2]; s.Name != "mql-follow-up" || s.Measured || s.Why == "" {
		t.Errorf("mql-follow-up: %+v; want it listed as not measured, with why", s)
	}
	// The campaigns behind a figure, with why each counts.
	var behind []string
	for _, c := range r.Weeks[0].FirstTimePass.Campaigns {
		behind = append(behind, fmt.Sprintf("%s %s %v: %s", c.Name, c.File, *c.Met, c.Detail))
	}
	wantBehind := []string{
		"alpha campaigns/alpha.yaml true: first version passed",
		"beta campaigns/beta.yaml false: first version had 1 deny finding(s): campaign.taxonomy",
	}
	if diff := cmp.Diff(wantBehind, behind); diff != "" {
		t.Errorf("campaigns behind week A's first-time pass (-want +got):\n%s", diff)
	}

	// A second run reads every commit from the cache and says the same.
	again := compute(t, dir, false)
	if again.Computed != 0 {
		t.Errorf("second run computed %d commits; want all 9 from the cache", again.Computed)
	}
	if diff := cmp.Diff(r.Weeks, again.Weeks); diff != "" {
		t.Errorf("cached run differs (-first +cached):\n%s", diff)
	}
}

// TestCacheFollowsNewCommits: a commit added after a cached run is the only
// one computed, on top of the repository as the cache left it.
func TestCacheFollowsNewCommits(t *testing.T) {
	r := gitrepotest.New(t)
	base(t, r)
	r.CommitAt("governance", at("2026-03-02 09:00"))
	r.Write(map[string]string{"campaigns/alpha.yaml": campaign("alpha", "tradeshow", "2026-03-11")})
	r.CommitAt("alpha", at("2026-03-02 10:00"))
	first := compute(t, r.Dir, false)
	if first.Computed != 2 {
		t.Fatalf("computed %d; want 2", first.Computed)
	}
	r.Write(map[string]string{"campaigns/alpha.yaml": campaign("alpha", "webinar", "2026-03-11")})
	r.CommitAt("fix alpha", at("2026-03-03 10:00"))
	next := compute(t, r.Dir, false)
	if next.Computed != 1 {
		t.Errorf("computed %d; want only the new commit", next.Computed)
	}
	// alpha failed first (0/1) and passed a day later: turnaround met.
	if got := share(next.Weeks[0].FirstTimePass) + " " + share(next.Weeks[0].SLAs[1]); got != "0% (0/1) 100% (1/1)" {
		t.Errorf("week A first-time pass and turnaround: %s", got)
	}
}

// TestBrokenCacheIsRecomputed: a cache file that is not what mops wrote is
// ignored with a note; the figures come out as without it.
func TestBrokenCacheIsRecomputed(t *testing.T) {
	dir := constructed(t)
	want := compute(t, dir, true)
	p := filepath.Join(dir, filepath.FromSlash(CachePath))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(`{"format": 1, "commits": {"x": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	got := compute(t, dir, false)
	if got.Computed != 9 || len(got.Notes) == 0 || !strings.Contains(got.Notes[0], "scorecard cache") {
		t.Errorf("computed %d, notes %q; want all 9 and a note on the cache", got.Computed, got.Notes)
	}
	if diff := cmp.Diff(want.Weeks, got.Weeks); diff != "" {
		t.Errorf("figures differ (-want +got):\n%s", diff)
	}
}

// TestMovedCampaignKeepsItsHistory: a campaign moved to another file in one
// commit is the same campaign, still requested when it was first added.
func TestMovedCampaignKeepsItsHistory(t *testing.T) {
	r := gitrepotest.New(t)
	base(t, r)
	r.CommitAt("governance", at("2026-03-02 09:00"))
	r.Write(map[string]string{"campaigns/alpha.yaml": campaign("alpha", "webinar", "2026-03-11")})
	r.CommitAt("alpha", at("2026-03-02 10:00"))
	r.Remove("campaigns/alpha.yaml")
	r.Write(map[string]string{"campaigns/2026/alpha.yaml": campaign("alpha", "webinar", "2026-03-11")})
	r.CommitAt("move alpha", at("2026-03-09 10:00"))
	rep := compute(t, r.Dir, true)
	// Requested 03-02 (week A), launched 03-11 (week B): 9 days, in its
	// new file.
	wk := rep.Weeks[1].CycleTime
	if len(wk.Campaigns) != 1 || *wk.Median != 9 || wk.Campaigns[0].File != "campaigns/2026/alpha.yaml" {
		t.Errorf("week B cycle time %+v; want alpha, 9 days, in campaigns/2026/alpha.yaml", wk)
	}
	if got := share(rep.Weeks[0].FirstTimePass) + " " + share(rep.Weeks[1].FirstTimePass); got != "100% (1/1) –" {
		t.Errorf("first-time pass by week: %s; the move is no new request", got)
	}
}

// TestHostileHistory: the history is repository content, written by anyone
// who ever merged a pull request. A commit holding a file that does not
// parse, an alias bomb and a non-UTF-8 file is read like validate reads
// it: the files count as no campaign, and the scorecard goes on.
func TestHostileHistory(t *testing.T) {
	r := gitrepotest.New(t)
	base(t, r)
	r.CommitAt("governance", at("2026-03-02 09:00"))
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		bomb += fmt.Sprintf("%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	r.Write(map[string]string{
		"campaigns/broken.yaml": "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata: {name: [unclosed\n",
		"campaigns/bomb.yaml":   bomb,
		"campaigns/latin1.yaml": "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata: {name: caf\xe9}\n",
		"campaigns/alpha.yaml":  campaign("alpha", "webinar", "2026-03-11"),
	})
	r.CommitAt("hostile files", at("2026-03-02 10:00"))
	rep := compute(t, r.Dir, true)
	if got := share(rep.Weeks[0].FirstTimePass); got != "100% (1/1)" {
		t.Errorf("week A first-time pass %s; want alpha alone, 100%% (1/1)", got)
	}
}
