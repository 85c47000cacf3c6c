// Command throughput migrates 100,000 records on each emulator with the
// vendor's published rate limits enforced by the emulator, and reports
// records per second against the bound those limits allow (docs/live.md,
// "Throughput at the vendors' limits", derives each bound).
//
// Time is scaled: the emulators run on a clock -scale times faster than
// the wall clock, and the clients are paced to the same limits on the
// wall clock divided by -scale, so a run takes 1/scale of the time it
// would against the vendor; rates are reported in the vendor's (virtual)
// seconds.
//
//	go run ./bench/throughput [-records 100000] [-rounds 3] [-scale 2] [-only hubspot,collections,bulk]
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

// The vendors' published limits the emulators enforce.
const (
	// HubSpot private apps and service keys: 100 requests per 10 s
	// (Free/Starter; batch update among them), search 5 per second on its
	// own, 200 results a search page, 100 inputs a batch update.
	hsRequests, hsPer, hsSearchPerSecond = 100, 10 * time.Second, 5
	// Salesforce: the org's API requests per rolling 24 hours (an
	// Enterprise org with 900 licenses: 100,000 + 1,000 each), and Bulk
	// API 2.0's 150,000,000 records per rolling 24 hours.
	sfAllocation = 1_000_000
	sfBulkPerDay = 150_000_000
	day          = 24 * time.Hour
)

type result struct {
	name           string
	records, moved int
	virtual, wall  time.Duration
	bound          float64 // records per virtual second the limits allow
	refused        int     // answers 429 / 403 REQUEST_LIMIT_EXCEEDED
}

func (r result) rate() float64 { return float64(r.moved) / r.virtual.Seconds() }

func main() {
	records := flag.Int("records", 100_000, "records to migrate in each scenario")
	rounds := flag.Int("rounds", 1, "runs of each scenario, interleaved")
	scale := flag.Float64("scale", 2, "how many times faster than the wall clock the vendors' clocks run")
	only := flag.String("only", "hubspot,collections,bulk", "scenarios to run, comma-separated")
	flag.Parse()
	scenarios := map[string]func(int, float64) (result, error){"hubspot": runHubSpot, "collections": runCollections, "bulk": runBulk}
	names := strings.Split(*only, ",")
	fmt.Printf("machine: %d cores (shared); %d records; clock scale %g; %d round(s)\n", runtime.NumCPU(), *records, *scale, *rounds)
	all := map[string][]result{}
	for round := 1; round <= *rounds; round++ {
		for _, name := range names {
			run := scenarios[name]
			if run == nil {
				fmt.Fprintf(os.Stderr, "unknown scenario %q\n", name)
				os.Exit(2)
			}
			r, err := run(*records, *scale)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
				os.Exit(1)
			}
			all[name] = append(all[name], r)
			fmt.Printf("round %d %-11s %6d moved in %7.1f vendor s (%5.1f s wall): %7.1f rec/s, bound %7.1f, %5.1f%% of bound; %d refused by rate limits\n",
				round, name, r.moved, r.virtual.Seconds(), r.wall.Seconds(), r.rate(), r.bound, 100*r.rate()/r.bound, r.refused)
		}
	}
	for _, name := range names {
		var pct []float64
		for _, r := range all[name] {
			pct = append(pct, 100*r.rate()/all[name][0].bound)
		}
		fmt.Printf("%-11s %.1f%% to %.1f%% of bound over %d round(s)\n", name, slices.Min(pct), slices.Max(pct), len(pct))
	}
}

// vendorClock runs k times faster than the wall clock from its start: the
// emulator's clock, and the client's, so that a Retry-After or a poll
// interval means the same on both sides.
type vendorClock struct {
	k     float64
	t0    time.Time
	start time.Time
}

func newVendorClock(k float64) *vendorClock {
	return &vendorClock{k: k, t0: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), start: time.Now()}
}

// Now is the vendor's time.
func (c *vendorClock) Now() time.Time {
	return c.t0.Add(time.Duration(float64(time.Since(c.start)) * c.k))
}

// Sleep waits d of the vendor's time.
func (c *vendorClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(time.Duration(float64(d) / c.k))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// counting counts answers of a status.
type counting struct {
	next   http.RoundTripper
	status []int
	n      atomic.Int64
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err == nil && slices.Contains(c.status, resp.StatusCode) {
		c.n.Add(1)
	}
	return resp, err
}

// runHubSpot migrates contacts.region from emea to europe. Bound: every
// record is found by search (5 a second, 200 a page) and written by batch
// update (100 per 10 s, 100 a batch): min(1000, 1000) records a second.
func runHubSpot(n int, k float64) (result, error) {
	st := &sandbox.State{Objects: map[string]*sandbox.Object{"contacts": {
		Properties: []*hsapi.Property{{Name: "region", Label: "Region", Type: "enumeration", FieldType: "select", GroupName: "contactinformation",
			Options: []hsapi.Option{{Value: "emea", Label: "EMEA", DisplayOrder: 0}, {Value: "europe", Label: "Europe", DisplayOrder: 1}}}},
	}}}
	for i := range n {
		st.Objects["contacts"].Records = append(st.Objects["contacts"].Records, &sandbox.Record{ID: strconv.Itoa(1001 + i), Properties: map[string]string{"region": "emea"}})
	}
	clock := newVendorClock(k)
	sb, err := sandbox.FromState(st, sandbox.WithClock(clock.Now),
		sandbox.WithLimits(sandbox.Limits{Requests: hsRequests, Per: hsPer, SearchPerSecond: hsSearchPerSecond}))
	if err != nil {
		return result{}, err
	}
	url, stop, err := sb.Start()
	if err != nil {
		return result{}, err
	}
	defer stop()
	tr := &counting{next: &http.Transport{MaxIdleConnsPerHost: 16}, status: []int{http.StatusTooManyRequests}}
	c, err := hubspot.New(url, "pat-bench", hubspot.WithHTTPClient(&http.Client{Transport: tr}), hubspot.WithClock(clock),
		hubspot.WithLimits(hubspot.Limits{Requests: hsRequests, Per: time.Duration(float64(hsPer) / k), Concurrent: 10, SearchPerSecond: hsSearchPerSecond * k}))
	if err != nil {
		return result{}, err
	}
	b := live.Binding{Object: "contacts", Property: "region"}
	r, err := migrate(c, b, "emea", "europe", n, k)
	r.name, r.refused = "hubspot", int(tr.n.Load())
	r.bound = math.Min(hsSearchPerSecond*hsapi.MaxSearchLimit, float64(hsRequests)/hsPer.Seconds()*hsapi.MaxBatchInputs)
	if left := len(sbHolders(sb, n)); err == nil && left != 0 {
		err = fmt.Errorf("%d records still hold emea", left)
	}
	return r, err
}

func sbHolders(sb *sandbox.Sandbox, n int) []string {
	var left []string
	for i := range n {
		if v, _ := sb.RecordValues("contacts", strconv.Itoa(1001+i)); v["region"] == "emea" {
			left = append(left, strconv.Itoa(1001+i))
		}
	}
	return left
}

// salesforceOrg is the emulator with n Leads on Region__c=emea, the org's
// allocation a rolling day on the scaled clock, and Bulk API 2.0
// processing at its daily record allocation.
func salesforceOrg(n int, clock *vendorClock) (*sfsandbox.Sandbox, error) {
	st := &sfsandbox.State{Objects: map[string]*sfsandbox.Object{"Lead": {Fields: []*sfsandbox.Field{
		{Name: "LastName"},
		{Name: "Region__c", Type: "picklist", Values: []sfapi.CustomValue{{ValueName: "emea", Label: "EMEA"}, {ValueName: "na", Label: "North America"}}},
	}}}}
	for i := range n {
		st.Objects["Lead"].Records = append(st.Objects["Lead"].Records, &sfsandbox.Record{
			ID: fmt.Sprintf("00Q%012dAAA", i), Fields: map[string]string{"LastName": "L", "Region__c": "emea"}})
	}
	return sfsandbox.FromState(st, sfsandbox.WithClock(clock.Now), sfsandbox.WithAPIUsage(0, sfAllocation),
		sfsandbox.WithAllocationWindow(day), sfsandbox.WithBulkRate(sfBulkPerDay/day.Seconds()))
}

// runSalesforce migrates Lead.Region__c from emea to na with the client
// paced to the org's allocation (the rate a sustained migration may
// spend).
func runSalesforce(name string, n int, k float64, bulkThreshold int) (result, error) {
	clock := newVendorClock(k)
	sb, err := salesforceOrg(n, clock)
	if err != nil {
		return result{}, err
	}
	url, stop, err := sb.Start()
	if err != nil {
		return result{}, err
	}
	defer stop()
	tr := &counting{next: &http.Transport{MaxIdleConnsPerHost: 16}, status: []int{http.StatusForbidden}}
	c, err := salesforce.New(url, "00Dbench!token", salesforce.WithHTTPClient(&http.Client{Transport: tr}), salesforce.WithClock(clock),
		salesforce.WithLimits(salesforce.Limits{Requests: sfAllocation, Per: time.Duration(float64(day) / k), Concurrent: 5}),
		salesforce.WithBulkThreshold(bulkThreshold))
	if err != nil {
		return result{}, err
	}
	r, err := migrate(c, live.Binding{Object: "Lead", Property: "Region__c"}, "emea", "na", n, k)
	r.name, r.refused = name, int(tr.n.Load())
	if left := len(sb.Holders("Lead", "Region__c", "emea")); err == nil && left != 0 {
		err = fmt.Errorf("%d records still hold emea", left)
	}
	return r, err
}

// runCollections: sObject collections. Bound: each record is found by a
// query page (2,000 a call) and written by a collection call (200 a
// call), every call from the daily allocation: allocation/day × n /
// (n/2000 + n/200) records a second.
func runCollections(n int, k float64) (result, error) {
	r, err := runSalesforce("collections", n, k, math.MaxInt32)
	calls := math.Ceil(float64(n)/2000) + math.Ceil(float64(n)/200)
	r.bound = sfAllocation / day.Seconds() * float64(n) / calls
	return r, err
}

// runBulk: Bulk API 2.0. Bound: the org processes at most 150,000,000
// records per rolling day, and the calls (n/2000 query pages and a job's
// six) come from the allocation: the lower of the two rates.
func runBulk(n int, k float64) (result, error) {
	r, err := runSalesforce("bulk", n, k, 1)
	calls := math.Ceil(float64(n)/2000) + 6
	r.bound = math.Min(sfBulkPerDay/day.Seconds(), sfAllocation/day.Seconds()*float64(n)/calls)
	return r, err
}

// migrate runs one migration and times it on both clocks.
func migrate(p live.Provider, b live.Binding, from, to string, n int, k float64) (result, error) {
	start := time.Now()
	res, err := p.MigrateRecords(context.Background(), live.Migration{Binding: b, From: from, To: to}, nil)
	wall := time.Since(start)
	r := result{records: n, moved: res.Updated, wall: wall, virtual: time.Duration(float64(wall) * k)}
	if err == nil && res.Failed > 0 {
		err = fmt.Errorf("%d records refused", res.Failed)
	}
	return r, err
}
