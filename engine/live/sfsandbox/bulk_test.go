package sfsandbox_test

import (
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

// TestIngestJob: the job's life in Salesforce's shapes: Open, one CSV
// upload (a second is 409), UploadComplete, then JobComplete with counts,
// and quoted result CSVs with sf__Id, sf__Created and sf__Error.
func TestIngestJob(t *testing.T) {
	sb := open(t)
	a := call(t, sb, http.MethodPost, api+sfapi.PathIngestJobs, sfapi.IngestJobRequest{Object: "Lead", Operation: "update", ContentType: "CSV", LineEnding: "LF"})
	var job sfapi.JobInfo
	a.decode(t, &job)
	if a.status != 200 || job.State != sfapi.JobOpen || job.APIVersion != 62 || job.ContentURL != "services/data/v62.0/jobs/ingest/"+job.ID+"/batches" {
		t.Fatalf("create: %d %+v", a.status, job)
	}
	csv := "Id,Region__c\n00Q000000000001AAA,na\n00Q000000000002AAA,#N/A\n00Q00000000000ZZZZ,na\n"
	put := func() int {
		req := httptest.NewRequest(http.MethodPut, api+"/jobs/ingest/"+job.ID+"/batches", strings.NewReader(csv))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "text/csv")
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, req)
		return rec.Code
	}
	if got := put(); got != http.StatusCreated {
		t.Fatalf("upload: %d", got)
	}
	if got := put(); got != http.StatusConflict {
		t.Fatalf("second upload: %d, want 409", got)
	}
	call(t, sb, http.MethodPatch, api+"/jobs/ingest/"+job.ID, sfapi.JobStateUpdate{State: sfapi.JobUploadComplete}).decode(t, &job)
	call(t, sb, http.MethodGet, api+"/jobs/ingest/"+job.ID, nil).decode(t, &job)
	if job.State != sfapi.JobComplete || job.NumberRecordsProcessed != 3 || job.NumberRecordsFailed != 1 {
		t.Fatalf("job %+v", job)
	}
	if v, _ := sb.RecordValue("Lead", "00Q000000000001AAA", "Region__c"); v != "na" {
		t.Errorf("record 1 holds %q", v)
	}
	if v, _ := sb.RecordValue("Lead", "00Q000000000002AAA", "Region__c"); v != "" {
		t.Errorf("#N/A did not clear record 2: %q", v)
	}
	ok := call(t, sb, http.MethodGet, api+"/jobs/ingest/"+job.ID+"/successfulResults/", nil)
	if want := "\"sf__Id\",\"sf__Created\",\"Id\",\"Region__c\"\n\"00Q000000000001AAA\",\"false\",\"00Q000000000001AAA\",\"na\"\n"; !strings.HasPrefix(string(ok.body), want) ||
		ok.header.Get("Content-Type") != "text/csv" {
		t.Errorf("successful results %q", ok.body)
	}
	failed := call(t, sb, http.MethodGet, api+"/jobs/ingest/"+job.ID+"/failedResults/", nil)
	if want := "\"sf__Id\",\"sf__Error\",\"Id\",\"Region__c\"\n\"00Q00000000000ZZZZ\",\"INVALID_CROSS_REFERENCE_KEY:invalid cross reference id: --\",\"00Q00000000000ZZZZ\",\"na\"\n"; string(failed.body) != want {
		t.Errorf("failed results %q", failed.body)
	}
	if a := call(t, sb, http.MethodPatch, api+"/jobs/ingest/"+job.ID, sfapi.JobStateUpdate{State: sfapi.JobUploadComplete}); a.status != http.StatusConflict {
		t.Errorf("closing a closed job: %d", a.status)
	}
	if a := call(t, sb, http.MethodGet, api+"/jobs/ingest/750nope", nil); a.status != http.StatusNotFound {
		t.Errorf("unknown job: %d", a.status)
	}
}

// FuzzIngestUpload: whatever CSV is uploaded, the job ends JobComplete or
// Failed, never panics, and counts no more failures than rows.
func FuzzIngestUpload(f *testing.F) {
	for _, s := range []string{"Id,Region__c\n00Q000000000001AAA,na\n", "", "\"", "Region__c\nna\n", "Id,Nope\n1,2\n", "Id\n\n\n", "Id,Region__c\n00Q000000000001AAA\n"} {
		f.Add(s)
	}
	// One sandbox for every input: allocations that thousands of jobs
	// do not use up.
	sb := open(f, sfsandbox.WithAPIUsage(0, math.MaxInt32), sfsandbox.WithBulkAllocation(math.MaxInt32))
	f.Fuzz(func(t *testing.T, data string) {
		var job sfapi.JobInfo
		call(t, sb, http.MethodPost, api+sfapi.PathIngestJobs, sfapi.IngestJobRequest{Object: "Lead", Operation: "update"}).decode(t, &job)
		req := httptest.NewRequest(http.MethodPut, api+"/jobs/ingest/"+job.ID+"/batches", strings.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "text/csv")
		sb.ServeHTTP(httptest.NewRecorder(), req)
		call(t, sb, http.MethodPatch, api+"/jobs/ingest/"+job.ID, sfapi.JobStateUpdate{State: sfapi.JobUploadComplete})
		call(t, sb, http.MethodGet, api+"/jobs/ingest/"+job.ID, nil).decode(t, &job)
		if (job.State != sfapi.JobComplete && job.State != sfapi.JobFailed) || job.NumberRecordsFailed > strings.Count(data, "\n")+1 {
			t.Fatalf("job %+v after %q", job, data)
		}
	})
}

// TestAllocationWindow: with a rolling window, a request stops counting
// against the allocation once the window has passed it.
func TestAllocationWindow(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	sb := open(t, sfsandbox.WithAPIUsage(0, 2), sfsandbox.WithAllocationWindow(time.Hour), sfsandbox.WithClock(func() time.Time { return now }))
	get := func() int { return call(t, sb, http.MethodGet, api+"/limits", nil).status }
	if a, b := get(), get(); a != 200 || b != 200 {
		t.Fatalf("first two: %d %d", a, b)
	}
	now = now.Add(30 * time.Minute)
	if got := get(); got != http.StatusForbidden {
		t.Fatalf("third within the hour: %d, want 403", got)
	}
	now = now.Add(31 * time.Minute)
	if got := get(); got != 200 {
		t.Fatalf("after the window: %d", got)
	}
}
