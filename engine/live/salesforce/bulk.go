package salesforce

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/rest"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// DefaultBulkThreshold is the number of records above which a migration
// writes with Bulk API 2.0 instead of sObject collections: Salesforce
// suggests Bulk API 2.0 above 2,000 records, and below ten thousand the
// ~50 collection calls finish before a job would be scheduled.
const DefaultBulkThreshold = 10_000

// maxJobRecords caps one ingest job, so that its CSV (an Id and one
// picklist value a row) stays far below the 150 MB upload limit.
const maxJobRecords = 100_000

// jobsAtLeast is how many jobs a bulk migration is split into at least,
// so that finding the records of the next job overlaps with Salesforce
// processing the last one.
const jobsAtLeast = 4

// batchSize picks how a migration that found n records writes them:
// collections of 200, or, once n is above the threshold, ingest jobs of a
// quarter of n rounded up to whole Bulk API batches of 10,000 (each job
// uses ⌈records/10,000⌉ of the org's 15,000 batches a day), at most
// maxJobRecords.
func (c *Client) batchSize(n int) int {
	if c.bulkThreshold <= 0 || n <= c.bulkThreshold {
		return sfapi.MaxCollection
	}
	quarter := (n + jobsAtLeast - 1) / jobsAtLeast
	return min(maxJobRecords, (quarter+sfapi.BulkChunk-1)/sfapi.BulkChunk*sfapi.BulkChunk)
}

// writeBulk moves one batch with a Bulk API 2.0 ingest job: create the
// job, upload the CSV (Id and the field, #N/A to clear it), mark the
// upload complete, poll the job until it is done (reporting its
// processed count), then read failedResults for the records refused and
// unprocessedrecords for those never reached.
func (c *Client) writeBulk(ctx context.Context, mg *live.Migrating, batch []live.Held) (live.BatchResult, error) {
	var br live.BatchResult
	var job sfapi.JobInfo
	err := c.api.Do(ctx, rest.Call{Method: http.MethodPost, Path: c.root + sfapi.PathIngestJobs,
		Body: sfapi.IngestJobRequest{Object: mg.Object, Operation: "update", ContentType: "CSV", LineEnding: "LF", ColumnDelimiter: "COMMA"}, Out: &job})
	if err != nil {
		return br, fmt.Errorf("create ingest job: %w", err)
	}
	if job.ID == "" || strings.ContainsAny(job.ID, "/?#") {
		return br, fmt.Errorf("create ingest job: Salesforce answered job id %q", c.api.Redact(job.ID))
	}
	jobPath := func(format string) string { return c.root + fmt.Sprintf(format, url.PathEscape(job.ID)) }
	upload, err := bulkCSV(mg, batch)
	if err != nil {
		return br, err
	}
	if err := c.api.Do(ctx, rest.Call{Method: http.MethodPut, Path: jobPath(sfapi.PathIngestBatches),
		Body: rest.Raw{ContentType: sfapi.ContentTypeCSV, Data: upload}}); err != nil {
		return br, fmt.Errorf("upload job %s: %w", job.ID, err)
	}
	if err := c.api.Do(ctx, rest.Call{Method: http.MethodPatch, Path: jobPath(sfapi.PathIngestJob),
		Body: sfapi.JobStateUpdate{State: sfapi.JobUploadComplete}, Out: &job}); err != nil {
		return br, fmt.Errorf("close job %s: %w", job.ID, err)
	}
	if job, err = c.awaitJob(ctx, mg, jobPath(sfapi.PathIngestJob), len(batch)); err != nil {
		return br, err
	}
	if job.State != sfapi.JobComplete {
		return br, fmt.Errorf("job %s ended %s: %s", job.ID, job.State, c.api.Redact(job.ErrorMessage))
	}
	failed, err := c.jobResults(ctx, jobPath(sfapi.PathFailedResults), true)
	if err != nil {
		return br, fmt.Errorf("job %s: failed results: %w", job.ID, err)
	}
	unprocessed, err := c.jobResults(ctx, jobPath(sfapi.PathUnprocessedRecords), false)
	if err != nil {
		return br, fmt.Errorf("job %s: unprocessed records: %w", job.ID, err)
	}
	br.Errors = append(failed, unprocessed...)
	br.Updated = len(batch) - len(br.Errors)
	return br, nil
}

// bulkCSV is the upload: a header Id,<field>, then one row a record.
func bulkCSV(mg *live.Migrating, batch []live.Held) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	rows := make([][]string, 0, len(batch)+1)
	rows = append(rows, []string{"Id", mg.Binding.Property})
	for _, h := range batch {
		v := mg.NewValue(h.Value)
		if v == "" {
			v = sfapi.BulkNull
		}
		rows = append(rows, []string{h.ID, v})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("write the job's CSV: %w", err)
	}
	return b.Bytes(), nil
}

// awaitJob polls a job until it is JobComplete, Failed or Aborted, and
// reports its processed count as the batch's progress. It waits
// BulkPoll.Initial at first; once records are being processed, as long as
// the rest should take at the rate seen so far (at least a tenth of
// Initial, at most Max), so that it neither polls often nor sleeps long
// past the job's end.
func (c *Client) awaitJob(ctx context.Context, mg *live.Migrating, path string, records int) (sfapi.JobInfo, error) {
	start, wait := c.api.Clock.Now(), c.bulkPoll.Initial
	for {
		var job sfapi.JobInfo
		if err := c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: path, Out: &job, Idempotent: true}); err != nil {
			return job, fmt.Errorf("poll job: %w", err)
		}
		mg.Writing(job.NumberRecordsProcessed)
		switch job.State {
		case sfapi.JobComplete, sfapi.JobFailed, sfapi.JobAborted:
			return job, nil
		}
		if done := job.NumberRecordsProcessed; done > 0 {
			elapsed := c.api.Clock.Now().Sub(start)
			left := time.Duration(float64(elapsed) * float64(max(0, records-done)) / float64(done))
			wait = min(max(left, c.bulkPoll.Initial/10), c.bulkPoll.Max)
		}
		if err := c.api.Clock.Sleep(ctx, wait); err != nil {
			return job, fmt.Errorf("poll job %s: %w", job.ID, err)
		}
	}
}

// jobResults reads failedResults (withError: its sf__Error column names
// why) or unprocessedrecords as record errors.
func (c *Client) jobResults(ctx context.Context, path string, withError bool) ([]live.RecordError, error) {
	out := &rest.Raw{ContentType: sfapi.ContentTypeCSV}
	if err := c.api.Do(ctx, rest.Call{Method: http.MethodGet, Path: path, Out: out, Idempotent: true}); err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(out.Data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read CSV: %s", c.api.Redact(err.Error()))
	}
	if len(rows) == 0 {
		return nil, nil
	}
	col := func(name string) int {
		for i, h := range rows[0] {
			if strings.EqualFold(h, name) {
				return i
			}
		}
		return -1
	}
	idCol, errCol := col(sfapi.ResultID), col(sfapi.ResultError)
	if idCol < 0 || !withError {
		idCol = col("Id")
	}
	var errs []live.RecordError
	for _, row := range rows[1:] {
		e := live.RecordError{Message: "not processed: the job ended before reaching it"}
		if idCol >= 0 && idCol < len(row) {
			e.ID = row[idCol]
		}
		if withError && errCol >= 0 && errCol < len(row) {
			e.Message = c.api.Redact(strings.TrimSuffix(strings.TrimSpace(row[errCol]), " --"))
		}
		errs = append(errs, e)
	}
	return errs, nil
}

// BulkPoll is how often a client polls an ingest job: every Initial until
// records are processed, then when the rest should be done, at most Max
// apart.
type BulkPoll struct {
	Initial, Max time.Duration
}

// DefaultBulkPoll polls after 1 s, then when the job should be done at
// the rate seen, at least every 10 s.
func DefaultBulkPoll() BulkPoll { return BulkPoll{Initial: time.Second, Max: 10 * time.Second} }
