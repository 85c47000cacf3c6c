package sandbox

import (
	"net/http"
)

// getFaults answers GET /_sandbox/faults with the pending faults.
func (s *Sandbox) getFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Faults())
}

// putFaults replaces the faults: PUT /_sandbox/faults with a JSON body such
// as {"rateLimitBurst":3,"retryAfter":"1s","serverErrors":2,
// "latency":"200ms","dropConnections":1,"pathPrefix":"/crm/v3/objects"}.
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
