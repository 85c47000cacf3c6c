package sfsandbox_test

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

func TestFaultsThroughAdminEndpoint(t *testing.T) {
	sb := open(t)
	f, err := emulator.ParseFaults("ratelimit=1,retryafter=2s,server=1,status=503,path=" + api + "/sobjects")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(f)
	if a := call(t, sb, http.MethodPut, "/_sandbox/faults", body); a.status != 200 {
		t.Fatalf("PUT faults: HTTP %d %s", a.status, a.body)
	}
	if a := call(t, sb, http.MethodGet, api+"/limits", nil); a.status != 200 {
		t.Fatalf("outside the path prefix: HTTP %d", a.status)
	}
	a := call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil)
	if a.status != 403 || a.errs(t)[0].ErrorCode != sfapi.CodeRequestLimit || a.header.Get("Retry-After") != "2" || a.header.Get(sfapi.HeaderLimitInfo) == "" {
		t.Fatalf("injected limit: HTTP %d %v %s", a.status, a.header, a.body)
	}
	a = call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil)
	if a.status != 503 || a.errs(t)[0].ErrorCode != sfapi.CodeServerUnavailable {
		t.Fatalf("injected 503: HTTP %d %s", a.status, a.body)
	}
	if a := call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil); a.status != 200 {
		t.Fatalf("faults used up: HTTP %d", a.status)
	}
	var left sfsandbox.Faults
	call(t, sb, http.MethodGet, "/_sandbox/faults", nil).decode(t, &left)
	if left.RateLimitBurst != 0 || left.ServerErrors != 0 {
		t.Fatalf("faults left %+v", left)
	}
	var counts map[string]int
	call(t, sb, http.MethodGet, "/_sandbox/requests", nil).decode(t, &counts)
	if counts["GET /services/data/{version}/sobjects/{object}/describe"] != 1 {
		t.Fatalf("request counts %v (faulted requests never reach a route)", counts)
	}
}

func TestConcurrentRequests(t *testing.T) {
	sb := open(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			switch i % 3 {
			case 0:
				query(t, sb, "SELECT LeadSource, COUNT(Id) FROM Lead GROUP BY LeadSource")
			case 1:
				call(t, sb, http.MethodPatch, api+"/composite/sobjects", update(rec("00Q000000000001AAA", map[string]*string{"Region__c": new("na")})))
			default:
				call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil)
			}
		})
	}
	wg.Wait()
	if u := sb.Usage(); u.Used != 20 {
		t.Fatalf("usage %d, want 20", u.Used)
	}
}
