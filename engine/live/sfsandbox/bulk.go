package sfsandbox

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Bulk API 2.0 ingest jobs. A job lives in memory only (Salesforce keeps
// them seven days): it is created Open, takes one CSV upload, and at
// UploadComplete its records are checked and written one by one as an
// sObject collection's are (each refused record is a line of
// failedResults). Without WithBulkRate the job is JobComplete at once;
// with it, it stays InProgress, its processed count growing, until
// records/rate seconds of the sandbox's clock have passed.

// WithBulkRate makes the org process ingest records at perSecond on the
// sandbox's clock (see WithClock), one job after another, as Salesforce
// processes them in the background within the org's records per rolling
// 24 hours.
func WithBulkRate(perSecond float64) Option { return func(c *config) { c.bulkRate = perSecond } }

// WithClock sets the clock that ingest jobs and the allocation's rolling
// window (WithAllocationWindow) are timed on. Default time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// DailyBulkBatches is the org's allocation of Bulk API batches per rolling
// 24 hours; a job of n records uses ⌈n/10,000⌉.
const DailyBulkBatches = 15_000

// WithBulkAllocation sets the Bulk API batches the org has left (default
// DailyBulkBatches); a job that needs more fails with ExceededQuota.
func WithBulkAllocation(batches int) Option { return func(c *config) { c.bulkBatches = &batches } }

// ingestJob is one job and its data.
type ingestJob struct {
	info    sfapi.JobInfo
	upload  []byte
	header  []string
	rows    [][]string
	results []rowResult // one per row once processed
	started time.Time   // UploadComplete
}

type rowResult struct {
	ok  bool
	err string // "CODE:message:fields --"
}

// jobStore holds the sandbox's jobs.
type jobStore struct {
	mu         sync.Mutex
	jobs       map[string]*ingestJob
	next       int
	batches    int       // batches used
	allocation int       // batches the org may use
	busyUntil  time.Time // when the jobs queued so far are processed
}

func (s *Sandbox) job(w http.ResponseWriter, r *http.Request) (*ingestJob, bool) {
	j := s.bulk.jobs[r.PathValue("id")]
	if j == nil {
		writeError(w, http.StatusNotFound, sfapi.CodeNotFound, "The requested resource does not exist")
		return nil, false
	}
	return j, true
}

// createJob answers POST /jobs/ingest.
func (s *Sandbox) createJob(w http.ResponseWriter, r *http.Request) {
	var req sfapi.IngestJobRequest
	if !decodeBody(w, r, &req) {
		return
	}
	switch {
	case req.Operation != "update":
		badRequest(w, "INVALIDJOB", "the emulator supports only the update operation, not %q", req.Operation)
		return
	case req.ContentType != "" && req.ContentType != "CSV", req.ColumnDelimiter != "" && req.ColumnDelimiter != "COMMA", req.LineEnding != "" && req.LineEnding != "LF":
		badRequest(w, "INVALIDJOB", "the emulator supports CSV with COMMA delimiters and LF line endings")
		return
	}
	s.mu.Lock()
	known := s.state.Objects[req.Object] != nil
	s.mu.Unlock()
	if !known {
		badRequest(w, sfapi.CodeInvalidType, "sObject type '%s' is not supported.", req.Object)
		return
	}
	version := r.PathValue("version")
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	s.bulk.next++
	id := fmt.Sprintf("750%012dAAA", s.bulk.next)
	now := s.now().UTC().Format("2006-01-02T15:04:05.000+0000")
	var apiVersion float64
	_, _ = fmt.Sscanf(version, "v%f", &apiVersion)
	j := &ingestJob{info: sfapi.JobInfo{
		ID: id, Operation: req.Operation, Object: req.Object, CreatedByID: defaultUserID, CreatedDate: now, SystemModstamp: now,
		State: sfapi.JobOpen, ConcurrencyMode: "Parallel", ContentType: "CSV", APIVersion: apiVersion, JobType: "V2Ingest",
		ContentURL: strings.TrimPrefix(sfapi.Root(version), "/") + fmt.Sprintf(sfapi.PathIngestBatches, id), LineEnding: "LF", ColumnDelimiter: "COMMA",
	}}
	s.bulk.jobs[id] = j
	writeJSON(w, http.StatusOK, j.info)
}

// uploadJob answers PUT /jobs/ingest/{id}/batches: the job's one CSV.
func (s *Sandbox) uploadJob(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, sfapi.ContentTypeCSV) {
		writeError(w, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be text/csv")
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, sfapi.MaxBulkUpload))
	if err != nil {
		badRequest(w, "INVALIDJOBSTATE", "could not read the upload: %v", err)
		return
	}
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	j, ok := s.job(w, r)
	if !ok {
		return
	}
	if j.info.State != sfapi.JobOpen || j.upload != nil {
		writeError(w, http.StatusConflict, "INVALIDJOBSTATE", "Found multiple contents for job: <"+j.info.ID+">, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.")
		return
	}
	j.upload = data
	w.WriteHeader(http.StatusCreated)
}

// patchJob answers PATCH /jobs/ingest/{id}: UploadComplete starts the
// job, Aborted stops an open one.
func (s *Sandbox) patchJob(w http.ResponseWriter, r *http.Request) {
	var req sfapi.JobStateUpdate
	if !decodeBody(w, r, &req) {
		return
	}
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	j, ok := s.job(w, r)
	if !ok {
		return
	}
	switch {
	case j.info.State != sfapi.JobOpen:
		writeError(w, http.StatusConflict, "INVALIDJOBSTATE", "Job is not in Open state: "+j.info.State)
		return
	case req.State == sfapi.JobAborted:
		j.info.State = sfapi.JobAborted
	case req.State == sfapi.JobUploadComplete:
		s.start(j)
	default:
		badRequest(w, "INVALIDJOBSTATE", "cannot set the state of an open job to %q", req.State)
		return
	}
	writeJSON(w, http.StatusOK, j.info)
}

// start parses the upload and writes its records (callers hold
// s.bulk.mu). A bad CSV, or an org out of batches, fails the job.
func (s *Sandbox) start(j *ingestJob) {
	j.started = s.now()
	fail := func(msg string) { j.info.State, j.info.ErrorMessage = sfapi.JobFailed, msg }
	rd := csv.NewReader(bytes.NewReader(j.upload))
	recs, err := rd.ReadAll()
	switch {
	case j.upload == nil:
		fail("InvalidBatch : Failed to process query: no data uploaded")
		return
	case err != nil || len(recs) == 0:
		fail(fmt.Sprintf("InvalidBatch : Failed to parse CSV: %v", err))
		return
	}
	j.header, j.rows = recs[0], recs[1:]
	idCol := -1
	for i, h := range j.header {
		if strings.EqualFold(h, "Id") {
			idCol = i
		}
	}
	if idCol < 0 {
		fail("InvalidBatch : Field name not found : Id")
		return
	}
	batches := (len(j.rows) + sfapi.BulkChunk - 1) / sfapi.BulkChunk
	if s.bulk.batches+batches > s.bulk.allocation {
		fail("ExceededQuota : Max number of batches exceeded for the rolling 24 hour period")
		return
	}
	s.bulk.batches += batches
	j.info.State = sfapi.JobInProgress
	if s.bulkRate > 0 {
		// One processor for the org: a job waits for those before it.
		if j.started.Before(s.bulk.busyUntil) {
			j.started = s.bulk.busyUntil
		}
		s.bulk.busyUntil = j.started.Add(time.Duration(float64(len(j.rows)) / s.bulkRate * float64(time.Second)))
	}
	j.results = make([]rowResult, len(j.rows))
	s.mu.Lock()
	defer s.mu.Unlock()
	var writes []func()
	failed := 0
	for i, row := range j.rows {
		raw := map[string]json.RawMessage{"attributes": mustJSON(sfapi.Attributes{Type: j.info.Object})}
		for c, h := range j.header {
			switch {
			case c == idCol:
				raw["id"] = mustJSON(row[c])
			case row[c] == sfapi.BulkNull:
				raw[h] = json.RawMessage("null")
			case row[c] != "":
				raw[h] = mustJSON(row[c])
			}
		}
		res, apply := s.checkRecord(raw)
		if res.Success {
			j.results[i].ok = true
			writes = append(writes, apply)
			continue
		}
		failed++
		e := res.Errors[0]
		j.results[i].err = e.StatusCode + ":" + e.Message + ":" + strings.Join(e.Fields, ",") + " --"
	}
	for _, apply := range writes {
		apply()
	}
	if len(writes) > 0 {
		if err := s.commit(); err != nil {
			fail("could not save the sandbox state: " + err.Error())
			return
		}
	}
	j.info.NumberRecordsFailed = failed
	s.progress(j, j.started)
}

// progress brings a running job up to date with the clock: the share of
// its records processed by now, and JobComplete once all are (callers
// hold s.bulk.mu).
func (s *Sandbox) progress(j *ingestJob, now time.Time) {
	if j.info.State != sfapi.JobInProgress {
		return
	}
	n := len(j.rows)
	if s.bulkRate > 0 {
		n = min(n, max(0, int(now.Sub(j.started).Seconds()*s.bulkRate)))
	}
	j.info.NumberRecordsProcessed = n
	j.info.TotalProcessingTime = max(0, now.Sub(j.started).Milliseconds())
	if n == len(j.rows) {
		j.info.State = sfapi.JobComplete
	}
}

// getJob answers GET /jobs/ingest/{id}.
func (s *Sandbox) getJob(w http.ResponseWriter, r *http.Request) {
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	j, ok := s.job(w, r)
	if !ok {
		return
	}
	s.progress(j, s.now())
	info := j.info
	if info.State != sfapi.JobComplete {
		info.NumberRecordsFailed = 0 // counted as records are processed; shown once done
	}
	writeJSON(w, http.StatusOK, info)
}

// results answers the three result CSVs of a job: successful and failed
// records once it is complete, unprocessed ones once it failed or was
// aborted. Every field is quoted, as Salesforce writes them.
func (s *Sandbox) results(which string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.bulk.mu.Lock()
		defer s.bulk.mu.Unlock()
		j, ok := s.job(w, r)
		if !ok {
			return
		}
		s.progress(j, s.now())
		var b strings.Builder
		switch which {
		case sfapi.ResultCreated:
			writeCSVRow(&b, append([]string{sfapi.ResultID, sfapi.ResultCreated}, j.header...))
		case sfapi.ResultError:
			writeCSVRow(&b, append([]string{sfapi.ResultID, sfapi.ResultError}, j.header...))
		default:
			writeCSVRow(&b, j.header)
		}
		for i, row := range j.rows {
			done := j.info.State == sfapi.JobComplete
			switch {
			case which == sfapi.ResultCreated && done && j.results[i].ok:
				writeCSVRow(&b, append([]string{rowID(j, row), "false"}, row...))
			case which == sfapi.ResultError && done && !j.results[i].ok:
				writeCSVRow(&b, append([]string{rowID(j, row), j.results[i].err}, row...))
			case which == "" && (j.info.State == sfapi.JobFailed || j.info.State == sfapi.JobAborted):
				writeCSVRow(&b, row)
			}
		}
		w.Header().Set("Content-Type", sfapi.ContentTypeCSV)
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, b.String())
	}
}

// rowID is a row's Id cell.
func rowID(j *ingestJob, row []string) string {
	for i, h := range j.header {
		if strings.EqualFold(h, "Id") {
			return row[i]
		}
	}
	return ""
}

// writeCSVRow writes one line with every field quoted.
func writeCSVRow(b *strings.Builder, fields []string) {
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
	}
	b.WriteByte('\n')
}

func mustJSON(v any) json.RawMessage {
	data, _ := json.Marshal(v)
	return data
}

// bulkLimit is the Bulk API batch allocation left, for GET /limits.
func (s *Sandbox) bulkLimit() sfapi.Limit {
	s.bulk.mu.Lock()
	defer s.bulk.mu.Unlock()
	return sfapi.Limit{Max: DailyBulkBatches, Remaining: max(0, s.bulk.allocation-s.bulk.batches)}
}
