package salesforce_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

// seedWith returns the test seed with n more Leads holding Region__c=latam.
func seedWith(t *testing.T, n int) *sfsandbox.State {
	t.Helper()
	st := seedState(t)
	for i := range n {
		st.Objects["Lead"].Records = append(st.Objects["Lead"].Records, &sfsandbox.Record{
			ID: fmt.Sprintf("00Q%012dAAA", 5000+i), Fields: map[string]string{"LastName": fmt.Sprint("Bulk", i), "Region__c": "latam"},
		})
	}
	return st
}

func seedState(t *testing.T) *sfsandbox.State {
	t.Helper()
	sb, err := sfsandbox.Open("", seedPath)
	if err != nil {
		t.Fatal(err)
	}
	return sb.State()
}

func TestMigrateInBatchesOf200(t *testing.T) {
	sb, err := sfsandbox.FromState(seedWith(t, 445), sfsandbox.WithPageSize(100))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb)
	var seqs, sizes []int
	res, err := e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("Lead", "Region__c"), From: "latam", To: "na"},
		func(b live.BatchResult) error {
			seqs, sizes = append(seqs, b.Seq), append(sizes, len(b.IDs))
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if res.Batches != 3 || res.Updated != 450 || res.Failed != 0 || !slices.Equal(sizes, []int{200, 200, 50}) || !slices.Equal(seqs, []int{1, 2, 3}) {
		t.Fatalf("result %+v, batch sizes %v, seqs %v", res, sizes, seqs)
	}
	if n := e.tr.count("PATCH", api+"/composite/sobjects"); n != 3 {
		t.Fatalf("%d collection calls, want 3", n)
	}
	if left := e.sb.Holders("Lead", "Region__c", "latam"); len(left) != 0 {
		t.Fatalf("%d records still on latam", len(left))
	}
}

func TestMigrateResumesWithoutWritingTwice(t *testing.T) {
	sb, err := sfsandbox.FromState(seedWith(t, 7))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb)
	m := live.Migration{Binding: bind("Lead", "Region__c"), From: "latam", To: "na", BatchSize: 5}
	stop := errors.New("stop")
	var written []string
	_, err = e.client.MigrateRecords(context.Background(), m, func(b live.BatchResult) error {
		written = append(written, b.IDs...)
		return stop
	})
	if !errors.Is(err, stop) || !strings.Contains(err.Error(), "stopped after batch 1") {
		t.Fatalf("want the callback's error after batch 1, got %v", err)
	}
	res, err := e.client.MigrateRecords(context.Background(), m, func(b live.BatchResult) error {
		written = append(written, b.IDs...)
		return nil
	})
	if err != nil || res.Updated != 7 {
		t.Fatalf("resume: %+v, %v; want the 7 records left", res, err)
	}
	sorted := slices.Sorted(slices.Values(written))
	if len(slices.Compact(sorted)) != 12 || len(written) != 12 {
		t.Fatalf("ids written %d times for %d records; a record was written twice", len(written), len(slices.Compact(sorted)))
	}
}

func TestMigrateClearsAndReplacesTokens(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if _, err := e.client.MigrateRecords(ctx, live.Migration{Binding: bind("Lead", "Interests__c"), From: "automation", To: "crm"}, nil); err != nil {
		t.Fatal(err)
	}
	st := e.sb.State()
	got := map[string]int{}
	for _, r := range st.Objects["Lead"].Records {
		if v := r.Fields["Interests__c"]; v != "" {
			got[v]++
		}
	}
	if got["crm"] != 4 || got["analytics"] != 1 || len(got) != 2 {
		t.Fatalf("interests after automation→crm: %v", got)
	}
	if _, err := e.client.MigrateRecords(ctx, live.Migration{Binding: bind("Lead", "Region__c"), From: "it's", To: ""}, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(e.sb.Holders("Lead", "Region__c", "")); n != 4 {
		t.Fatalf("%d leads without a region, want 4 (3 before, 1 cleared)", n)
	}
}

func TestMigrateRefusals(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	_, err := e.client.MigrateRecords(ctx, live.Migration{Binding: bind("Lead", "Score_Band__c"), From: "a", To: "b"}, nil)
	if !errors.Is(err, live.ErrReadOnly) {
		t.Errorf("read-only field: %v", err)
	}
	for name, m := range map[string]live.Migration{
		"to not a value":          {Binding: bind("Lead", "Region__c"), From: "latam", To: "mars"},
		"to inactive, restricted": {Binding: bind("Lead", "Segment__c"), From: "SMB", To: "Startup"},
		"from empty":              {Binding: bind("Lead", "Region__c"), From: "", To: "na"},
		"from is to":              {Binding: bind("Lead", "Region__c"), From: "na", To: "na"},
	} {
		if _, err := e.client.MigrateRecords(ctx, m, nil); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if n := e.tr.count("PATCH", api+"/composite/sobjects"); n != 0 {
		t.Fatalf("refused migrations wrote %d batches", n)
	}
}

// TestMigrateReportsRefusedRecords deactivates the target value after the
// first batch: the restricted picklist then refuses the next records one by
// one, and the migration reports them without failing as a whole.
func TestMigrateReportsRefusedRecords(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	b := bind("Lead", "Interests__c")
	var errs []live.RecordError
	res, err := e.client.MigrateRecords(ctx, live.Migration{Binding: b, From: "automation", To: "analytics", BatchSize: 1}, func(br live.BatchResult) error {
		errs = append(errs, br.Errors...)
		if br.Seq == 1 {
			_, err := e.client.Apply(ctx, setOptions(b, opt("crm", "CRM", 0), opt("automation", "Automation", 1), hidden(opt("analytics", "Analytics", 2))))
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 || res.Failed != 3 || len(errs) != 3 {
		t.Fatalf("result %+v, errors %v", res, errs)
	}
	if e := errs[0]; e.ID == "" || !strings.Contains(e.Message, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST") {
		t.Fatalf("record error %+v", e)
	}
}

// recorder is a live.Progress that keeps what it heard.
type recorder struct{ events []string }

func (r *recorder) Phase(_ string, total int) {
	r.events = append(r.events, fmt.Sprintf("phase %d", total))
}
func (r *recorder) Update(done, total int) {
	r.events = append(r.events, fmt.Sprintf("%d/%d", done, total))
}
func (r *recorder) End() { r.events = append(r.events, "end") }

// TestMigrateProgress: the migration's one phase takes its total from
// the query, and counts each batch written.
func TestMigrateProgress(t *testing.T) {
	sb, err := sfsandbox.FromState(seedWith(t, 4995), sfsandbox.WithPageSize(2000))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb)
	var r recorder
	_, err = e.client.MigrateRecords(context.Background(), live.Migration{Binding: bind("Lead", "Region__c"), From: "latam", To: "na", BatchSize: 2000, Progress: &r}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.events, ", ")
	want := "phase 0, 0/5000, " +
		strings.Join(func() []string {
			var s []string
			for n := 200; n <= 5000; n += 200 {
				s = append(s, fmt.Sprintf("%d/0", n))
			}
			return s
		}(), ", ") + ", end"
	if got != want {
		t.Fatalf("progress:\n%s\nwant:\n%s", got, want)
	}
}
