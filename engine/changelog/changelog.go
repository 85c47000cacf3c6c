// Package changelog is mops's append-only record of what apply did: JSON
// lines, each record carrying the hash of the one before it, each synced to
// disk before apply takes its next step. Verify detects an edited, deleted,
// inserted or reordered record.
package changelog

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/mops-dev/mops/engine/plan"
	"github.com/mops-dev/mops/engine/repofs"
)

// Type says what a record is about.
type Type string

// Record types: every apply run writes run-start; for each step an intent
// record before it writes to live, then the step's change record (and,
// between them, a batch record per accepted batch of a migration); then
// run-end.
const (
	RunStart Type = "run-start"
	Intent   Type = "intent"
	Change   Type = "change"
	Batch    Type = "batch"
	RunEnd   Type = "run-end"
)

// Results a record can carry.
const (
	ResultStarted   = "started"
	ResultApplied   = "applied"
	ResultUnchanged = "unchanged" // live already matched: nothing written
	ResultFailed    = "failed"
	ResultCompleted = "completed"
	ResultAborted   = "aborted"
	// ResultIntended is an intent's: the step is about to write to live.
	ResultIntended = "intended"
	// ResultRecovered and ResultNotApplied resolve an intent whose run
	// stopped before recording the outcome (a crash): live, read again,
	// holds what the step wrote, or does not (then the step is still to
	// do, and mops plan lists it).
	ResultRecovered  = "recovered"
	ResultNotApplied = "not-applied"
	// ResultInterrupted ends a run that stopped without a run-end record.
	ResultInterrupted = "interrupted"
	// ResultPartial: a migration some records refused (the others were
	// written), or a run that finished with such steps.
	ResultPartial = "partial"
	// ResultSkipped: a step not run because an earlier one was partial
	// (a value is not hidden while records still hold it).
	ResultSkipped = "skipped"
)

// Record is one line of the change log.
type Record struct {
	Seq       int       `json:"seq"`
	Time      time.Time `json:"time"`
	Type      Type      `json:"type"`
	Actor     string    `json:"actor"`
	Approvers []string  `json:"approvers,omitempty"`
	Commit    string    `json:"commit,omitempty"`
	PlanHash  string    `json:"planHash"`
	// PlanID is the id of the plan applied (plan.Plan.ID).
	PlanID string       `json:"planId,omitempty"`
	System string       `json:"system"`
	Change *plan.Change `json:"change,omitempty"`
	// Intent is the seq of the intent record that a change or batch
	// record is the outcome of.
	Intent int    `json:"intent,omitempty"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
	Result string `json:"result"`
	Error  string `json:"error,omitempty"`
	// Note explains a record that resolves a stopped run (what live
	// showed), or what a partial or skipped step left undone.
	Note string `json:"note,omitempty"`
	// Emergency holds the reason of an apply inside a freeze window.
	Emergency string `json:"emergency,omitempty"`
	// Prev is the hash of the previous record; empty for the first.
	Prev string `json:"prev"`
	// Hash is sha256 over the record's canonical JSON with Hash empty.
	Hash string `json:"hash"`
}

// computeHash hashes the record's canonical JSON: encoded, decoded into
// plain values and encoded again, so that object keys are sorted and the
// hash does not depend on whether Before/After held Go structs (when
// written) or decoded maps (when verified).
func (r *Record) computeHash() (string, error) {
	c := *r
	c.Hash = ""
	data, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("hash change log record: %w", err)
	}
	var plain any
	if err := json.Unmarshal(data, &plain); err != nil {
		return "", fmt.Errorf("hash change log record: %w", err)
	}
	if data, err = json.Marshal(plain); err != nil {
		return "", fmt.Errorf("hash change log record: %w", err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Log is an open change log. Appends are serialised by the per-system
// apply lock; Log itself is not safe for concurrent use.
type Log struct {
	path string
	last string
	seq  int
}

// Open opens (or creates) the change log at path and reads its tail.
func Open(path string) (*Log, error) {
	l := &Log{path: path}
	recs, err := Read(path)
	if err != nil {
		return nil, err
	}
	if n := len(recs); n > 0 {
		l.last, l.seq = recs[n-1].Hash, recs[n-1].Seq
	}
	return l, nil
}

// Path is where the log is.
func (l *Log) Path() string { return l.path }

// Append chains r to the log, writes it as one line and syncs the file
// before returning, so a crash never loses a record that apply acted on.
func (l *Log) Append(r Record) (Record, error) {
	r.Seq = l.seq + 1
	r.Prev = l.last
	h, err := r.computeHash()
	if err != nil {
		return r, err
	}
	r.Hash = h
	line, err := json.Marshal(&r)
	if err != nil {
		return r, fmt.Errorf("encode change log record: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(l.path), 0o755); err != nil {
		return r, fmt.Errorf("create change log folder: %w", err)
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return r, fmt.Errorf("open change log: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return r, fmt.Errorf("append to change log: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return r, fmt.Errorf("sync change log: %w", err)
	}
	if err := f.Close(); err != nil {
		return r, fmt.Errorf("close change log: %w", err)
	}
	l.last, l.seq = r.Hash, r.Seq
	return r, nil
}

// Read returns every record of the log at path; a missing log is empty.
func Read(path string) ([]Record, error) {
	f, err := repofs.OpenFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open change log: %w", err)
	}
	defer f.Close()
	return decode(f, path)
}

func decode(r io.Reader, path string) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec Record
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields() // the hash covers known fields only
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("%s:%d: not a change log record: %w", path, line, err)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read change log: %w", err)
	}
	return out, nil
}

// Problem is one break in the hash chain, at a 1-based line.
type Problem struct {
	Line    int    `json:"line"`
	Seq     int    `json:"seq"`
	Message string `json:"message"`
}

// Verify checks the hash chain of the log at path: every record's own hash,
// its link to the record before, and contiguous sequence numbers. It
// returns the records read and every break found.
func Verify(path string) ([]Record, []Problem, error) {
	recs, err := Read(path)
	if err != nil {
		return nil, nil, err
	}
	var problems []Problem
	prev := ""
	for i, r := range recs {
		line := i + 1
		want, err := r.computeHash()
		if err != nil {
			return nil, nil, err
		}
		if r.Hash != want {
			problems = append(problems, Problem{line, r.Seq, "record was edited: its content does not match its hash"})
		}
		if r.Prev != prev {
			problems = append(problems, Problem{line, r.Seq, "chain broken: the record before it was deleted, inserted, edited or moved"})
		}
		if r.Seq != i+1 {
			problems = append(problems, Problem{line, r.Seq, fmt.Sprintf("sequence number %d where %d was expected: records were deleted, inserted or reordered", r.Seq, i+1)})
		}
		prev = r.Hash
	}
	return recs, problems, nil
}

// Pending returns the intent records no record names as its outcome: a
// write to live the run that intended it never recorded the end of,
// because it crashed (or is still running).
func Pending(recs []Record) []Record {
	resolved := map[int]bool{}
	for _, r := range recs {
		if r.Intent > 0 && r.Type != Batch {
			resolved[r.Intent] = true
		}
	}
	var out []Record
	for _, r := range recs {
		if r.Type == Intent && !resolved[r.Seq] {
			out = append(out, r)
		}
	}
	return out
}

// Unfinished returns the run-start records of runs that have no run-end
// record: runs that stopped (or are still running).
func Unfinished(recs []Record) []Record {
	ended := map[string]bool{}
	for _, r := range recs {
		if r.Type == RunEnd {
			ended[r.PlanHash] = true
		}
	}
	var out []Record
	for _, r := range recs {
		if r.Type == RunStart && !ended[r.PlanHash] {
			out = append(out, r)
		}
	}
	return out
}

// Applied reports whether a plan with hash h was ever started: plans are
// single-use, even when their run did not finish.
func Applied(recs []Record, h string) (Record, bool) {
	for _, r := range recs {
		if r.Type == RunStart && r.PlanHash == h {
			return r, true
		}
	}
	return Record{}, false
}
