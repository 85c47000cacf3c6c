package emulator

import (
	"net/http"
	"strings"
)

// AdminPrefix is where an emulator's own endpoints live. Faults and rate
// limits never apply to them.
const AdminPrefix = "/_sandbox/"

// IsAdmin reports whether r is for an admin endpoint.
func IsAdmin(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, AdminPrefix) }

// Admin is what an emulator's admin endpoints serve: the faults it
// injects and the requests it counted. Emulators embed it.
type Admin struct {
	Injector
	Counter
}

// AdminRoutes adds the admin endpoints to mux:
//
//	GET /_sandbox/faults    the faults still pending
//	PUT /_sandbox/faults    replaces them: a JSON body such as
//	                        {"rateLimitBurst":3,"retryAfter":"1s","serverErrors":2,
//	                         "latency":"200ms","dropConnections":1,"pathPrefix":"/crm"}
//	GET /_sandbox/requests  how many requests each route served
//
// write answers with the emulator's JSON writer; decode reads a body with
// its strict decoder, which answers bad input in the vendor's error shape
// and reports false.
func (a *Admin) AdminRoutes(mux *http.ServeMux, write func(w http.ResponseWriter, status int, v any), decode func(w http.ResponseWriter, r *http.Request, v any) bool) {
	mux.HandleFunc("GET "+AdminPrefix+"faults", func(w http.ResponseWriter, _ *http.Request) {
		write(w, http.StatusOK, a.Faults())
	})
	mux.HandleFunc("PUT "+AdminPrefix+"faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		if !decode(w, r, &f) {
			return
		}
		a.SetFaults(f)
		write(w, http.StatusOK, f)
	})
	mux.HandleFunc("GET "+AdminPrefix+"requests", func(w http.ResponseWriter, _ *http.Request) {
		write(w, http.StatusOK, a.Requests())
	})
}
