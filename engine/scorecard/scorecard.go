// Package scorecard computes the weekly MOps scorecard from a governance
// repository's git history: campaign cycle time, on-time launches,
// first-time QA pass rate and SLA attainment per week, with data
// completeness of the live systems and governance activity from the
// change log. docs/scorecard.md says how each figure is computed; every
// figure lists the campaigns behind it.
package scorecard

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/gitrepo"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/schema"
)

// FormatVersion is the version of the JSON report (Report); it grows when
// a field changes meaning or goes away.
const FormatVersion = 1

const dateLayout = "2006-01-02"

// Options configure a scorecard.
type Options struct {
	// Dir is the governance folder (holding mops.yaml) inside a git
	// working tree; its history is read from HEAD.
	Dir string
	// Since and Until bound the weeks reported: every week (Monday to
	// Sunday, UTC) holding a day from Since to Until.
	Since, Until time.Time
	// NoCache recomputes every commit and writes no cache.
	NoCache bool
	// Live measures the live systems the repository binds, as they are
	// now: data completeness and drift. Getenv reads the token variables
	// mops.yaml names; an unreachable system is a note. Connect are the
	// options the systems are opened with (a logger, as plan's).
	Live    bool
	Getenv  func(string) string
	Connect []systems.Option
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Window reads the --since and --until flags: until is a date, or today
// when empty; since is a date or a number of weeks (12w) ending with
// until's week.
func Window(since, until string, now time.Time) (time.Time, time.Time, error) {
	end := day(now)
	if until != "" {
		t, err := time.Parse(dateLayout, until)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("--until %q is not a date (YYYY-MM-DD)", until)
		}
		end = t
	}
	if n, ok := strings.CutSuffix(since, "w"); ok {
		weeks, err := strconv.Atoi(n)
		if err != nil || weeks < 1 || weeks > 520 {
			return time.Time{}, time.Time{}, fmt.Errorf("--since %q: give a number of weeks from 1 to 520 (12w) or a date (YYYY-MM-DD)", since)
		}
		return weekStart(end).AddDate(0, 0, -7*(weeks-1)), end, nil
	}
	start, err := time.Parse(dateLayout, since)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("--since %q: give a number of weeks (12w) or a date (YYYY-MM-DD)", since)
	}
	if end.Before(start) {
		return time.Time{}, time.Time{}, fmt.Errorf("--until %s is before --since %s", end.Format(dateLayout), since)
	}
	if end.Sub(start) > 520*7*24*time.Hour {
		return time.Time{}, time.Time{}, fmt.Errorf("--since %s: at most 520 weeks", since)
	}
	return start, end, nil
}

// Report is the scorecard, in the shape `mops scorecard --format json`
// prints.
type Report struct {
	FormatVersion int    `json:"formatVersion"`
	Head          string `json:"head"`
	Since         string `json:"since"`
	Until         string `json:"until"`
	// Commits is the number of commits of the history read, and Computed
	// those computed in this run (the others came from the cache).
	Commits  int    `json:"commits"`
	Computed int    `json:"computed"`
	Weeks    []Week `json:"weeks"`
	// SLAs are the SLAs the repository declares at Until.
	SLAs []SLA `json:"slas"`
	// Live is data completeness and drift, when a system was reachable.
	Live *LiveReport `json:"live,omitempty"`
	// Notes say what could not be measured and why.
	Notes []string `json:"notes,omitempty"`
}

// Week is one row of the scorecard.
type Week struct {
	// Start is the Monday the week begins, YYYY-MM-DD.
	Start string `json:"start"`
	// CycleTime is request to launch, in calendar days, of the campaigns
	// launched this week.
	CycleTime Spread `json:"cycleTime"`
	// OnTime is the share of this week's launches that launched on or
	// before the launch date first committed.
	OnTime Share `json:"onTime"`
	// FirstTimePass is the share of the campaigns requested this week
	// whose first committed version had no deny finding.
	FirstTimePass Share `json:"firstTimePass"`
	// SLAs holds one share per SLA of Report.SLAs, in the same order.
	SLAs []Share `json:"slas"`
	// Changes counts the changes the change log records as applied this
	// week, and Runs the apply runs.
	Changes int `json:"changes"`
	Runs    int `json:"runs"`
}

// Spread is a distribution of days.
type Spread struct {
	// Median and P90 are nil when no campaign counts.
	Median    *float64   `json:"median"`
	P90       *float64   `json:"p90"`
	Campaigns []Campaign `json:"campaigns"`
}

// Share is how many of the counted campaigns met a bar.
type Share struct {
	Met   int `json:"met"`
	Total int `json:"total"`
	// Percent is nil when Total is 0.
	Percent   *float64   `json:"percent"`
	Campaigns []Campaign `json:"campaigns"`
}

// Campaign is one campaign behind a figure, with what it contributed.
type Campaign struct {
	Name string `json:"name"`
	File string `json:"file"`
	// Days is its value for a Spread; Met says whether it met a Share's
	// bar; Detail says why, in words.
	Days   *float64 `json:"days,omitempty"`
	Met    *bool    `json:"met,omitempty"`
	Detail string   `json:"detail"`
}

// SLA is one SLA the repository declares.
type SLA struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Type   string `json:"type"`
	Target string `json:"target"`
	// Measured is false for SLAs the history cannot measure
	// (stage-response: records change stage in the CRM, not in git);
	// Why says so.
	Measured bool   `json:"measured"`
	Why      string `json:"why,omitempty"`
}

// Compute reads the history and computes the scorecard.
func Compute(ctx context.Context, opts Options) (*Report, error) {
	if opts.Until.Before(opts.Since) {
		return nil, fmt.Errorf("--until %s is before --since %s", opts.Until.Format(dateLayout), opts.Since.Format(dateLayout))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	proj, err := project(opts.Dir)
	if err != nil {
		return nil, err
	}
	repo, err := gitrepo.Open(opts.Dir)
	if err != nil {
		return nil, err
	}
	commits, err := repo.FirstParent("HEAD")
	if err != nil {
		return nil, err
	}
	// The history up to Until: commits after it do not count.
	end := opts.Until.AddDate(0, 0, 1)
	for len(commits) > 0 && !commits[len(commits)-1].When.Before(end) {
		commits = commits[:len(commits)-1]
	}
	// A cache folder that leads outside the repository (a committed .mops
	// link) is neither read nor written.
	path, err := repofs.Inside(opts.Dir, CachePath)
	if opts.NoCache || err != nil {
		path = ""
	}
	c, note := openCache(path)
	if err != nil {
		note = fmt.Sprintf("scorecard cache not used: %v", err)
	}
	r := &Report{FormatVersion: FormatVersion, Since: opts.Since.Format(dateLayout), Until: opts.Until.Format(dateLayout), Commits: len(commits)}
	if note != "" {
		r.Notes = append(r.Notes, note)
	}
	if len(commits) > 0 {
		r.Head = commits[len(commits)-1].Hash
	}
	h := newHistory()
	var w *walker
	for i, commit := range commits {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		facts, ok := c.get(commit.Hash)
		if !ok {
			if w == nil {
				v, err := schema.New()
				if err != nil {
					return nil, fmt.Errorf("load schemas: %w", err)
				}
				w = newWalker(repo, v)
				if i > 0 {
					if err := w.start(ctx, commits[i-1].Hash); err != nil {
						return nil, err
					}
				}
			}
			if facts, err = w.step(ctx, commit, h.needs); err != nil {
				return nil, err
			}
			c.put(facts)
			r.Computed++
		} else if w != nil {
			// A cached commit after computed ones: the walker must follow.
			if _, err := w.step(ctx, commit, func(string) bool { return false }); err != nil {
				return nil, err
			}
		}
		h.apply(facts)
	}
	if err := c.save(); err != nil {
		r.Notes = append(r.Notes, err.Error())
	}
	if err := h.fill(r, opts); err != nil {
		return nil, err
	}
	if proj.Changelog != "" {
		path, err := repofs.Inside(opts.Dir, proj.Changelog)
		if err == nil {
			err = activity(r, path)
		}
		if err != nil {
			r.Notes = append(r.Notes, err.Error())
		}
	}
	if opts.Live {
		live, err := measureLive(ctx, opts)
		switch {
		case err != nil:
			r.Notes = append(r.Notes, fmt.Sprintf("data completeness not measured: %v", err))
		default:
			r.Live = live
			r.Notes = append(r.Notes, live.Notes...)
		}
	}
	return r, nil
}

// project reads mops.yaml alone.
func project(dir string) (model.Project, error) {
	b, findings, err := load.Load(repofs.DirFS(dir), load.Options{Files: []string{}})
	if err != nil {
		return model.Project{}, err
	}
	for _, f := range findings {
		if f.Blocking() {
			return model.Project{}, fmt.Errorf("%s:%d:%d: %s", f.File, f.Line, f.Column, f.Message)
		}
	}
	if b.Project == nil {
		return model.Project{}, fmt.Errorf("%s has no %s", dir, load.ProjectFile)
	}
	return b.ProjectSpec()
}
