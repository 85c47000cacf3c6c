package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mops-dev/mops/engine/live/emulator"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

func (s *Sandbox) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// Both families of paths: the numeric v3 one and the date-based one
	// (hsapi.PathsOf). Handlers read the version from the path value
	// "version", which the v3 routes set to "v3".
	v3 := func(pattern string, h http.HandlerFunc) {
		s.Route(mux, pattern, func(w http.ResponseWriter, r *http.Request) {
			r.SetPathValue("version", hsapi.VersionV3)
			h(w, r)
		})
	}
	dated := func(pattern string, h http.HandlerFunc) {
		s.Route(mux, pattern, func(w http.ResponseWriter, r *http.Request) {
			if v := r.PathValue("version"); hsapi.CheckVersion(v) != nil || !hsapi.Dated(v) {
				notFound(w, "No API version %q of %s in the sandbox", v, r.URL.Path)
				return
			}
			h(w, r)
		})
	}
	v3("GET /crm/v3/properties/{objectType}", s.listProperties)
	v3("POST /crm/v3/properties/{objectType}", s.createProperty)
	v3("GET /crm/v3/properties/{objectType}/{propertyName}", s.getProperty)
	v3("PATCH /crm/v3/properties/{objectType}/{propertyName}", s.updateProperty)
	v3("POST /crm/v3/objects/{objectType}/search", s.searchObjects)
	v3("POST /crm/v3/objects/{objectType}/batch/update", s.batchUpdate)
	v3("GET /communication-preferences/v3/definitions", s.subscriptionDefinitions)
	dated("GET /crm/properties/{version}/{objectType}", s.listProperties)
	dated("POST /crm/properties/{version}/{objectType}", s.createProperty)
	dated("GET /crm/properties/{version}/{objectType}/{propertyName}", s.getProperty)
	dated("PATCH /crm/properties/{version}/{objectType}/{propertyName}", s.updateProperty)
	dated("POST /crm/objects/{version}/{objectType}/search", s.searchObjects)
	dated("POST /crm/objects/{version}/{objectType}/batch/update", s.batchUpdate)
	dated("GET /communication-preferences/{version}/definitions", s.subscriptionDefinitions)
	s.Route(mux, "POST "+hsapi.PathAccessTokenInfo, s.accessTokenInfo)
	s.AdminRoutes(mux, writeJSON, decodeBody)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		notFound(w, "No route for %s %s in the sandbox (it emulates only the HubSpot calls mops makes)", r.Method, r.URL.Path)
	})
	return mux
}

// validated reports whether requests of r's API version are held to the
// account's required properties (hsapi.ValidatedSince and later).
func validated(r *http.Request) bool {
	v := r.PathValue("version")
	return hsapi.Dated(v) && v >= hsapi.ValidatedSince
}

// ServeHTTP answers one request: faults first, then authentication, then
// the rate limits, then the scopes, then the route.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(hsapi.HeaderCorrelationID, newUUID())
	admin := emulator.IsAdmin(r)
	if !admin && s.Inject(w, r, faultWords{}) {
		return
	}
	if msg := s.authenticate(r); msg != "" {
		writeError(w, http.StatusUnauthorized, hsapi.CategoryUnauthorized, msg)
		return
	}
	if !admin && s.rateLimited(w, r) {
		return
	}
	if !admin && s.missingScopes(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// authenticate checks the bearer token; it returns why it fails, or "".
// Messages never repeat the token.
func (s *Sandbox) authenticate(r *http.Request) string {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	token = strings.TrimSpace(token)
	switch {
	case !ok || token == "":
		return "Authentication credentials not found. This API supports OAuth 2.0 authentication and private app access tokens (Authorization: Bearer <token>)."
	case s.token != "" && token != s.token:
		return "The access token provided is not valid for this sandbox."
	}
	return ""
}

// rateLimited enforces the sandbox's own limits; true means it answered.
// Every other answer carries HubSpot's rate-limit headers: the window's
// allowance and what is left of it, the portal's other integrations'
// share (Portal.SharedUse) spent, and the daily allowance; search answers
// carry none, as HubSpot's do. A 429 names its policy and, as HubSpot's,
// no Retry-After.
func (s *Sandbox) rateLimited(w http.ResponseWriter, r *http.Request) bool {
	search := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/search")
	win, policy := s.general, hsapi.PolicyTenSecondly
	if search {
		win, policy = s.search, hsapi.PolicySecondly
	}
	if win == nil {
		return false
	}
	now := s.now()
	shared := 0
	if !search {
		shared = s.sharedUse()
	}
	s.fmu.Lock()
	ok, left := win.allow(now, shared)
	dailyOK, dailyLeft := s.daily.spend(now)
	s.fmu.Unlock()
	if !search {
		h := w.Header()
		h.Set(hsapi.HeaderRateMax, strconv.Itoa(win.max))
		h.Set(hsapi.HeaderRateRemaining, strconv.Itoa(left))
		h.Set(hsapi.HeaderRateInterval, strconv.FormatInt(win.per.Milliseconds(), 10))
		h.Set(hsapi.HeaderDailyLimit, strconv.Itoa(s.daily.max))
		h.Set(hsapi.HeaderDailyRemaining, strconv.Itoa(dailyLeft))
	}
	switch {
	case !dailyOK:
		writeRateLimit(w, hsapi.PolicyDaily, 0)
	case !ok:
		writeRateLimit(w, policy, 0)
	default:
		return false
	}
	return true
}

// sharedUse is what the portal's other integrations spend of each window.
func (s *Sandbox) sharedUse() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.Portal == nil {
		return 0
	}
	return s.state.Portal.SharedUse
}

// dailyCount is the day's allowance and what was spent of it; it starts
// afresh each day (UTC; HubSpot resets at midnight in the account's time
// zone).
type dailyCount struct {
	max  int
	day  time.Time
	used int
}

// spend counts one request at now and says whether the day's allowance
// had room for it, and what is left.
func (d *dailyCount) spend(now time.Time) (bool, int) {
	if d.max <= 0 {
		return true, 0
	}
	if day := now.UTC().Truncate(24 * time.Hour); !day.Equal(d.day) {
		d.day, d.used = day, 0
	}
	if d.used >= d.max {
		return false, 0
	}
	d.used++
	return true, d.max - d.used
}

// Start serves the sandbox on a free loopback port in the background, for
// in-process use: give baseURL to hubspot.New. stop shuts the server down;
// calling it again returns the first result.
func (s *Sandbox) Start() (baseURL string, stop func() error, err error) {
	return emulator.Start(s)
}
