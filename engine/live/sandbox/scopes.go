package sandbox

import (
	"net/http"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

// WithholdScopes makes the token lack the named scopes from now on, in
// addition to those it lacks already: for tests (a state file withholds
// them with withheldScopes).
func (s *Sandbox) WithholdScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.WithheldScopes = append(s.state.WithheldScopes, scopes...)
}

// granted lists the scopes the token has: those of every call the sandbox
// serves, for the standard object types and custom ones, but the withheld
// ones (callers hold s.mu).
func (s *Sandbox) granted() []string {
	var out []string
	add := func(scope string) {
		if !slices.Contains(out, scope) && !slices.Contains(s.state.WithheldScopes, scope) {
			out = append(out, scope)
		}
	}
	for _, t := range []string{"contacts", "companies", "deals", "tickets", "custom"} {
		for _, a := range []hsapi.Access{hsapi.ReadSchema, hsapi.WriteSchema, hsapi.ReadRecords, hsapi.WriteRecords} {
			add(hsapi.Scope(t, a))
		}
	}
	add(hsapi.ScopeCommunicationPreferencesRead)
	return out
}

// needed lists the scopes any one of which lets r through; nil for calls
// that need none. It reads both path families: /crm/v3/{kind}/{objectType}
// and /crm/{kind}/{version}/{objectType}.
func needed(r *http.Request) []string {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) == 3 && parts[0] == "communication-preferences" && parts[2] == "definitions" {
		return []string{hsapi.ScopeCommunicationPreferencesRead}
	}
	if len(parts) < 4 || parts[0] != "crm" {
		return nil
	}
	kind, objectType := parts[1], parts[3]
	if parts[1] == hsapi.VersionV3 {
		kind = parts[2]
	}
	switch {
	case kind == "properties" && r.Method == http.MethodGet:
		return hsapi.ScopesFor(objectType, hsapi.ReadSchema)
	case kind == "properties":
		return hsapi.ScopesFor(objectType, hsapi.WriteSchema)
	case kind == "objects" && parts[len(parts)-1] == "search":
		return hsapi.ScopesFor(objectType, hsapi.ReadRecords)
	case kind == "objects" && r.Method != http.MethodGet:
		return hsapi.ScopesFor(objectType, hsapi.WriteRecords)
	}
	return hsapi.ScopesFor(objectType, hsapi.ReadRecords)
}

// missingScopes refuses a call the token lacks every scope for, as HubSpot
// does: 403 MISSING_SCOPES naming the scopes that would do. true means it
// answered.
func (s *Sandbox) missingScopes(w http.ResponseWriter, r *http.Request) bool {
	want := needed(r)
	if len(want) == 0 {
		return false
	}
	s.mu.Lock()
	granted := s.granted()
	s.mu.Unlock()
	if slices.ContainsFunc(want, func(scope string) bool { return slices.Contains(granted, scope) }) {
		return false
	}
	writeError(w, http.StatusForbidden, hsapi.CategoryMissingScopes,
		"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
		hsapi.ErrorDetail{Message: "One or more of the following scopes are required.", Context: map[string][]string{"requiredGranularScopes": want}})
	return true
}

// accessTokenInfo answers POST /oauth/v2/private-apps/get/access-token-info
// for the token the request carries: the sandbox's account, and the
// scopes the token has.
func (s *Sandbox) accessTokenInfo(w http.ResponseWriter, r *http.Request) {
	var req hsapi.TokenInfoRequest
	if !decodeBody(w, r, &req) {
		return
	}
	bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if req.TokenKey == "" || req.TokenKey != strings.TrimSpace(bearer) {
		writeError(w, http.StatusUnauthorized, hsapi.CategoryUnauthorized, "The access token provided is not valid for this sandbox.")
		return
	}
	s.mu.Lock()
	scopes := s.granted()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, hsapi.TokenInfo{UserID: sandboxUserID, HubID: sandboxHubID, AppID: sandboxAppID, Scopes: scopes})
}

// The sandbox's account, user and app.
const (
	sandboxHubID  = 1000001
	sandboxUserID = 2000001
	sandboxAppID  = 3000001
)
