package sfsandbox

import (
	"cmp"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// App is an External Client App the sandbox's token endpoint knows
// (POST /services/oauth2/token). Tokens it issues are for the org's user
// (State.User).
type App struct {
	// ClientID is the consumer key.
	ClientID string
	// ClientSecret, when set, enables the client credentials flow.
	ClientSecret string
	// Certificate, when set, enables the JWT bearer flow: the public key
	// assertions must be signed with (RS256).
	Certificate *rsa.PublicKey
}

// WithApp makes the token endpoint answer for app. Once an app is set, the
// sandbox accepts only the tokens its endpoint issued (and the WithToken
// token, if any).
func WithApp(app App) Option { return func(c *config) { c.apps = append(c.apps, app) } }

// orgID is the Id of the emulated org.
const orgID = "00D000000000001AAA"

// tokenEndpoint answers POST /services/oauth2/token in Salesforce's words:
// 200 with the token, or 400 {error, error_description}.
func (s *Sandbox) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, "invalid_request", "invalid request body")
		return
	}
	form := r.PostForm
	var app *App
	switch form.Get("grant_type") {
	case sfapi.GrantClientCredentials:
		app = s.app(form.Get("client_id"))
		switch {
		case app == nil:
			tokenError(w, "invalid_client_id", "client identifier invalid")
			return
		case app.ClientSecret == "":
			tokenError(w, "invalid_grant", "no client credentials user enabled")
			return
		case form.Get("client_secret") != app.ClientSecret:
			tokenError(w, "invalid_client", "invalid client credentials")
			return
		}
	case sfapi.GrantJWTBearer:
		var code, msg string
		if app, code, msg = s.checkAssertion(form.Get("assertion"), s.instance(r)); app == nil {
			tokenError(w, code, msg)
			return
		}
	case "":
		tokenError(w, "unsupported_grant_type", "grant type not supported")
		return
	default:
		tokenError(w, "unsupported_grant_type", "grant type not supported")
		return
	}
	token := s.issue()
	user := s.user()
	instance := s.instance(r)
	writeJSON(w, http.StatusOK, sfapi.TokenResponse{
		AccessToken: token, InstanceURL: instance, ID: instance + "/id/" + orgID + "/" + user.ID,
		TokenType: "Bearer", IssuedAt: strconv.FormatInt(time.Now().UnixMilli(), 10), Signature: randomHex(16), Scope: "api",
	})
}

// checkAssertion verifies a JWT bearer assertion as Salesforce does: RS256
// signed by the app's certificate, iss the consumer key, aud a login host
// (or this instance), exp in the future, sub the org's user.
func (s *Sandbox) checkAssertion(assertion, instance string) (app *App, code, msg string) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(assertion, &claims, func(t *jwt.Token) (any, error) {
		iss, _ := t.Claims.GetIssuer()
		if app = s.app(iss); app == nil || app.Certificate == nil {
			return nil, errors.New("unknown app")
		}
		return app.Certificate, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired())
	switch {
	case app == nil:
		return nil, "invalid_client_id", "client identifier invalid"
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, "invalid_grant", "expired authorization code"
	case err != nil:
		return nil, "invalid_grant", "invalid assertion"
	case !slices.ContainsFunc(claims.Audience, func(a string) bool {
		return a == sfapi.AudienceProduction || a == sfapi.AudienceSandbox || a == instance
	}):
		return nil, "invalid_grant", "audience is invalid"
	case claims.Subject != s.user().Username:
		return nil, "invalid_grant", "user hasn't approved this consumer"
	}
	return app, "", ""
}

func tokenError(w http.ResponseWriter, code, description string) {
	writeJSON(w, http.StatusBadRequest, sfapi.TokenError{Error: code, Description: description})
}

func (s *Sandbox) app(clientID string) *App {
	for i := range s.apps {
		if s.apps[i].ClientID == clientID && clientID != "" {
			return &s.apps[i]
		}
	}
	return nil
}

// instance is the instance URL token answers name: the host the token
// request reached.
func (s *Sandbox) instance(r *http.Request) string { return "http://" + r.Host }

// issue makes a new access token in Salesforce's shape (org Id, "!", a
// random part) and remembers it.
func (s *Sandbox) issue() string {
	token := orgID[:15] + "!" + randomHex(48)
	s.tmu.Lock()
	defer s.tmu.Unlock()
	s.issued[token] = true
	return token
}

// expireSessions forgets every token the endpoint issued.
func (s *Sandbox) expireSessions() {
	s.tmu.Lock()
	defer s.tmu.Unlock()
	clear(s.issued)
}

// authenticated checks the bearer token: the WithToken token, a token the
// endpoint issued, or, when neither is configured, any token. Answers
// never repeat it.
func (s *Sandbox) authenticated(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return false
	}
	if s.token == "" && len(s.apps) == 0 {
		return true
	}
	s.tmu.Lock()
	defer s.tmu.Unlock()
	return token == s.token || s.issued[token]
}

// userInfo answers GET /services/oauth2/userinfo for the org's user.
func (s *Sandbox) userInfo(w http.ResponseWriter, _ *http.Request) {
	u := s.user()
	writeJSON(w, http.StatusOK, sfapi.UserInfo{UserID: u.ID, OrganizationID: orgID, PreferredUsername: u.Username, Active: true})
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// user returns the org's user, defaults filled in.
func (s *Sandbox) user() User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.user()
}

// user returns the state's user, defaults filled in (callers hold the
// sandbox's lock).
func (st *State) user() User {
	var u User
	if st.User != nil {
		u = *st.User
	}
	u.ID = cmp.Or(u.ID, defaultUserID)
	u.Username = cmp.Or(u.Username, defaultUsername)
	return u
}

// WithholdPermissions makes the org's user lack the named system
// permissions (ViewSetup, ModifyMetadata, ...) from now on, in addition to
// those it lacks already: for tests (a state file withholds them with
// user.withheld).
func (s *Sandbox) WithholdPermissions(names ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.User == nil {
		s.state.User = &User{}
	}
	s.state.User.Withheld = append(s.state.User.Withheld, names...)
}

// objectUserPermissions holds the running user's effective system
// permissions, one row.
const objectUserPermissions = "UserPermissionAccess"

// userPermissions answers SELECT PermissionsX, ... FROM
// UserPermissionAccess: true for each permission the user is not
// withheld (callers hold s.mu).
func (s *Sandbox) userPermissions(q *query) ([]row, int, *apiErr) {
	if len(q.where) > 0 || q.count || q.groupBy != "" || len(q.fields) == 0 {
		return nil, 0, malformed("the emulator supports only SELECT Permissions... FROM UserPermissionAccess")
	}
	rw := row{"attributes": sfapi.Attributes{Type: objectUserPermissions}}
	for _, f := range q.fields {
		name, ok := strings.CutPrefix(f, "Permissions")
		if !ok || name == "" {
			return nil, 0, noColumn(f, objectUserPermissions)
		}
		rw[f] = !slices.Contains(s.state.user().Withheld, name)
	}
	return []row{rw}, 1, nil
}
