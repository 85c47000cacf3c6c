package salesforce_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

// seedInterests returns the test seed with n more Leads whose restricted
// multi-select Interests__c holds automation; every tenth also holds
// ghost, which is not a value of the picklist.
func seedInterests(t *testing.T, n int) *sfsandbox.State {
	t.Helper()
	st := seedState(t)
	for i := range n {
		v := "crm;automation"
		if i%10 == 0 {
			v = "automation;ghost"
		}
		st.Objects["Lead"].Records = append(st.Objects["Lead"].Records, &sfsandbox.Record{
			ID: fmt.Sprintf("00Q%012dAAA", 7000+i), Fields: map[string]string{"LastName": fmt.Sprint("Bulk", i), "Interests__c": v},
		})
	}
	return st
}

// TestMigrateWithBulkAPI: above the threshold the migration writes with
// one ingest job (create, upload, close, poll, results) instead of
// collections; the records the org refuses come back from failedResults
// with their Id and Salesforce's error, the others are written.
func TestMigrateWithBulkAPI(t *testing.T) {
	sb, err := sfsandbox.FromState(seedInterests(t, 300))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb, salesforce.WithBulkThreshold(100))
	var batches []live.BatchResult
	res, err := e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("Lead", "Interests__c"), From: "automation", To: "analytics"},
		func(b live.BatchResult) error { batches = append(batches, b); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.Batches != 1 || res.Failed != 30 || len(batches) != 1 || len(batches[0].IDs) != res.Updated+30 || res.Updated < 270 {
		t.Fatalf("result %+v, batches %d", res, len(batches))
	}
	if v, _ := e.sb.RecordValue("Lead", "00Q000000007001AAA", "Interests__c"); v != "crm;analytics" {
		t.Errorf("a written record holds %q", v)
	}
	errs := batches[0].Errors
	if errs[0].ID != "00Q000000007000AAA" || !strings.HasPrefix(errs[0].Message, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:bad value for restricted picklist field: ghost") {
		t.Errorf("first record error %+v", errs[0])
	}
	if v, _ := e.sb.RecordValue("Lead", "00Q000000007000AAA", "Interests__c"); v != "automation;ghost" {
		t.Errorf("a refused record changed: %q", v)
	}
	jobs := api + "/jobs/ingest"
	for key, want := range map[string]int{"POST " + jobs: 1, "PATCH " + api + "/composite/sobjects": 0} {
		method, path, _ := strings.Cut(key, " ")
		if n := e.tr.count(method, path); n != want {
			t.Errorf("%d × %s, want %d (requests %v)", n, key, want, e.tr.keys())
		}
	}
	for _, suffix := range []string{"/batches", "/failedResults/", "/unprocessedrecords/"} {
		if !slices.ContainsFunc(e.tr.keys(), func(k string) bool { return strings.HasSuffix(k, suffix) }) {
			t.Errorf("no request ending %s: %v", suffix, e.tr.keys())
		}
	}
	// Below the threshold, collections as before.
	e.tr.reset()
	if _, err := e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("Lead", "Region__c"), From: "emea", To: "na"}, nil); err != nil {
		t.Fatal(err)
	}
	if n := e.tr.count("POST", jobs); n != 0 || e.tr.count("PATCH", api+"/composite/sobjects") == 0 {
		t.Errorf("below the threshold: %v", e.tr.keys())
	}
}

// virtualClock's time moves only when the client sleeps.
type virtualClock struct {
	clienttest.Clock
	start time.Time
}

func (c *virtualClock) Now() time.Time {
	t := c.start
	for _, w := range c.Waits() {
		t = t.Add(w)
	}
	return t
}

// TestBulkJobProgress: an ingest job that takes time is polled every
// second until records move, then when the rest should be done; its
// processed count is the migration's progress.
func TestBulkJobProgress(t *testing.T) {
	clock := &virtualClock{start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	sb, err := sfsandbox.FromState(seedWith(t, 295), sfsandbox.WithClock(clock.Now), sfsandbox.WithBulkRate(100))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb, salesforce.WithBulkThreshold(100), salesforce.WithClock(clock))
	var r recorder
	res, err := e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("Lead", "Region__c"), From: "latam", To: "na", Progress: &r}, nil)
	if err != nil || res.Updated != 300 {
		t.Fatalf("%+v, %v", res, err)
	}
	if !slices.Equal(clock.Waits(), []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("polled after %v, want 1s, then the 2s the other 200 records take", clock.Waits())
	}
	if got := strings.Join(r.events, ", "); got != "phase 0, 0/300, 0/0, 100/0, 300/0, 300/0, end" {
		t.Errorf("progress %s", got)
	}
}

// TestBulkJobFailed: a job Salesforce fails (the org is out of Bulk API
// batches) is an error naming the job and Salesforce's message, and
// nothing is written.
func TestBulkJobFailed(t *testing.T) {
	sb, err := sfsandbox.FromState(seedWith(t, 295), sfsandbox.WithBulkAllocation(0))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb, salesforce.WithBulkThreshold(100))
	_, err = e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("Lead", "Region__c"), From: "latam", To: "na"}, nil)
	if err == nil || !strings.Contains(err.Error(), "ended Failed: ExceededQuota : Max number of batches exceeded") {
		t.Fatalf("error %v", err)
	}
	if n := len(e.sb.Holders("Lead", "Region__c", "latam")); n != 300 {
		t.Errorf("%d records left on latam, want 300", n)
	}
}
