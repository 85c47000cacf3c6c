package sfsandbox

import "net/http"

// getFaults answers GET /_sandbox/faults with the pending faults.
func (s *Sandbox) getFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Faults())
}

// putFaults replaces the faults: PUT /_sandbox/faults with the HubSpot
// sandbox's JSON form, e.g. {"rateLimitBurst":3,"serverErrors":2,
// "serverErrorStatus":503,"latency":"200ms","pathPrefix":"/services/data/v62.0/composite"}.
func (s *Sandbox) putFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if !decodeBody(w, r, &f) {
		return
	}
	s.SetFaults(f)
	writeJSON(w, http.StatusOK, f)
}

// getRequests answers GET /_sandbox/requests with request counts per route.
func (s *Sandbox) getRequests(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Requests())
}
