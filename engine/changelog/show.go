package changelog

import (
	"fmt"
	"time"
)

// Filter selects the records `mops log` shows. The zero Filter selects
// every record.
type Filter struct {
	// System, when set, keeps the records of that system.
	System string
	// Since and Until, when set, keep records at or after Since and before
	// Until.
	Since, Until time.Time
}

// Keep reports whether r passes the filter.
func (f Filter) Keep(r Record) bool {
	return (f.System == "" || r.System == f.System) &&
		(f.Since.IsZero() || !r.Time.Before(f.Since)) &&
		(f.Until.IsZero() || r.Time.Before(f.Until))
}

// ParseDate reads a date as `mops log` takes it: an RFC 3339 time, or a
// day (YYYY-MM-DD, midnight UTC).
func ParseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, fmt.Errorf("%q is not a date (YYYY-MM-DD) or an RFC 3339 time", s)
	}
	return t, nil
}

// Report is the change log as `mops log` shows it: the records a filter
// keeps, oldest first.
type Report struct {
	Records []Record `json:"records"`
}

// Show reads the log at path and keeps the records f selects.
func Show(path string, f Filter) (*Report, error) {
	recs, err := Read(path)
	if err != nil {
		return nil, err
	}
	rep := &Report{Records: []Record{}}
	for _, r := range recs {
		if f.Keep(r) {
			rep.Records = append(rep.Records, r)
		}
	}
	return rep, nil
}

// Verdict is what `mops log --verify` found in the whole log.
type Verdict struct {
	// Verified is true when the hash chain has no break.
	Verified bool `json:"verified"`
	// Records counts the records checked.
	Records int `json:"recordCount"`
	// Problems are the breaks, first one first.
	Problems []Problem `json:"problems"`
	// Path is the log, as the verdict names it.
	Path string `json:"-"`
	// At is the record where the chain first breaks; nil when intact.
	At *Record `json:"-"`
	// Pending are the intents without an outcome: writes to live whose
	// run stopped (or is still running) before recording whether they
	// happened.
	Pending []Record `json:"pending"`
	// Unfinished are the run-start records of runs without a run-end.
	Unfinished []Record `json:"unfinished"`
}

// Complete reports whether the chain is intact and every write to live
// has its outcome recorded.
func (v *Verdict) Complete() bool { return v.Verified && len(v.Pending) == 0 }

// Check verifies the hash chain of the log at path and finds the writes
// without an outcome; name is how the verdict names the log.
func Check(path, name string) (*Verdict, error) {
	recs, problems, err := Verify(path)
	if err != nil {
		return nil, err
	}
	v := &Verdict{Verified: len(problems) == 0, Records: len(recs), Problems: problems, Path: name,
		Pending: Pending(recs), Unfinished: Unfinished(recs)}
	if v.Problems == nil {
		v.Problems = []Problem{}
	}
	if v.Pending == nil {
		v.Pending = []Record{}
	}
	if v.Unfinished == nil {
		v.Unfinished = []Record{}
	}
	for i := range recs {
		if !v.Verified && recs[i].Seq == problems[0].Seq {
			v.At = &recs[i]
			break
		}
	}
	return v, nil
}
