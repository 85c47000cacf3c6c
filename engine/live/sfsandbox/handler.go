package sfsandbox

import (
	"net/http"
	"time"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// root is the data root pattern, with the API version as a wildcard.
const root = "/services/data/{version}"

func (s *Sandbox) routes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) {
		s.Route(mux, pattern, func(w http.ResponseWriter, r *http.Request) {
			if !sfapi.IsVersion(r.PathValue("version")) {
				notFound(w)
				return
			}
			h(w, r)
		})
	}
	handle("GET "+root+"/sobjects/{object}/describe", s.describe)
	handle("GET "+root+"/query", s.dataQuery)
	handle("GET "+root+"/query/{locator}", s.queryMore)
	handle("GET "+root+"/tooling/query", s.toolingQuery)
	handle("GET "+root+"/tooling/query/{locator}", s.queryMore)
	handle("GET "+root+"/tooling/sobjects/{type}/{id}", s.getTooling)
	handle("PATCH "+root+"/tooling/sobjects/{type}/{id}", s.patchTooling)
	handle("POST "+root+"/tooling/sobjects/{type}", s.createTooling)
	handle("PATCH "+root+"/composite/sobjects", s.updateCollection)
	handle("GET "+root+"/limits", s.limits)
	handle("POST "+root+sfapi.PathIngestJobs, s.createJob)
	handle("GET "+root+"/jobs/ingest/{id}", s.getJob)
	handle("PATCH "+root+"/jobs/ingest/{id}", s.patchJob)
	handle("PUT "+root+"/jobs/ingest/{id}/batches", s.uploadJob)
	handle("GET "+root+"/jobs/ingest/{id}/successfulResults/", s.results(sfapi.ResultCreated))
	handle("GET "+root+"/jobs/ingest/{id}/failedResults/", s.results(sfapi.ResultError))
	handle("GET "+root+"/jobs/ingest/{id}/unprocessedrecords/", s.results(""))
	s.Route(mux, "POST "+sfapi.PathToken, s.tokenEndpoint)
	s.Route(mux, "GET "+sfapi.PathUserInfo, s.userInfo)
	s.AdminRoutes(mux, writeJSON, decodeBody)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { notFound(w) })
	return mux
}

// ServeHTTP answers one request: faults first, then authentication, then
// the org's API allocation, then the route. Every API answer carries
// Sforce-Limit-Info. Token requests need no token and do not count
// against the allocation.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	admin, token := emulator.IsAdmin(r), r.URL.Path == sfapi.PathToken
	if !admin && !token {
		s.stampUsage(w, false)
	}
	if !admin && s.Inject(w, r, faultWords{s}) {
		return
	}
	if token {
		s.mux.ServeHTTP(w, r)
		return
	}
	if !s.authenticated(r) {
		writeError(w, http.StatusUnauthorized, sfapi.CodeInvalidSession, "Session expired or invalid")
		return
	}
	if !admin && !s.stampUsage(w, true) {
		writeError(w, http.StatusForbidden, sfapi.CodeRequestLimit, sfapi.DailyLimitMessage+".")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// stampUsage sets Sforce-Limit-Info. With count set it first counts the
// request, and reports false when the allocation is used up (the request
// is then refused and not counted).
func (s *Sandbox) stampUsage(w http.ResponseWriter, count bool) bool {
	s.fmu.Lock()
	if s.window > 0 {
		s.expire(s.now())
	}
	ok := true
	if count {
		if s.usage.Used >= s.usage.Max {
			ok = false
		} else {
			s.usage.Used++
			if s.window > 0 {
				s.stamps = append(s.stamps, s.now())
			}
		}
	}
	u := s.usage
	s.fmu.Unlock()
	w.Header().Set(sfapi.HeaderLimitInfo, u.String())
	return ok
}

// expire stops counting the requests older than the rolling window
// (callers hold s.fmu).
func (s *Sandbox) expire(now time.Time) {
	n := 0
	for n < len(s.stamps) && now.Sub(s.stamps[n]) >= s.window {
		n++
	}
	if n > 0 {
		s.stamps = s.stamps[n:]
		s.usage.Used = max(0, s.usage.Used-n)
	}
}

// limits answers GET /limits with the daily allocation.
func (s *Sandbox) limits(w http.ResponseWriter, _ *http.Request) {
	u := s.Usage()
	writeJSON(w, http.StatusOK, map[string]sfapi.Limit{
		sfapi.LimitDailyAPIRequests: {Max: u.Max, Remaining: max(0, u.Max-u.Used)},
		sfapi.LimitDailyBulkBatches: s.bulkLimit(),
	})
}

// Start serves the sandbox on a free loopback port in the background, for
// in-process use: give instanceURL to salesforce.New. stop shuts the server
// down; calling it again returns the first result.
func (s *Sandbox) Start() (instanceURL string, stop func() error, err error) {
	return emulator.Start(s)
}
