package salesforce

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/rest"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

// Flow is an OAuth 2.0 flow of an External Client App (or Connected App)
// that Connect gets access tokens from: ClientCredentials or JWTBearer.
type Flow interface {
	// form is the token request's body at now; secrets are the values to
	// redact from every text (the consumer key too: mops.yaml may name any
	// variable for it).
	form(now time.Time) (body url.Values, secrets []string, err error)
	// String names the flow in errors, without secrets.
	String() string
}

// ClientCredentials is the OAuth 2.0 client credentials flow: the app's
// consumer key and secret buy a token for the app's Run As user. The
// token request must go to the org's My Domain.
type ClientCredentials struct {
	ClientID, ClientSecret string
}

func (f ClientCredentials) form(time.Time) (url.Values, []string, error) {
	if f.ClientID == "" || f.ClientSecret == "" {
		return nil, nil, errors.New("client credentials flow: needs a consumer key and a consumer secret")
	}
	return url.Values{"grant_type": {sfapi.GrantClientCredentials}, "client_id": {f.ClientID}, "client_secret": {f.ClientSecret}},
		[]string{f.ClientSecret, f.ClientID}, nil
}

func (f ClientCredentials) String() string { return "client credentials flow" }

// JWTBearer is the OAuth 2.0 JWT bearer flow: an assertion for Username,
// signed with the private key whose certificate the app holds, buys a
// token for that pre-authorized user. No secret travels.
type JWTBearer struct {
	ClientID string
	// Username is the Salesforce username the token is for (the sub
	// claim).
	Username string
	Key      *rsa.PrivateKey
	// Audience is the login host the assertion names (aud):
	// sfapi.AudienceProduction (the default) or sfapi.AudienceSandbox.
	Audience string
}

// assertionLife is how long an assertion is valid; Salesforce accepts at
// most 3 minutes from now.
const assertionLife = 3 * time.Minute

func (f JWTBearer) form(now time.Time) (url.Values, []string, error) {
	if f.ClientID == "" || f.Username == "" || f.Key == nil {
		return nil, nil, errors.New("JWT bearer flow: needs a consumer key, a username and a private key")
	}
	aud := f.Audience
	if aud == "" {
		aud = sfapi.AudienceProduction
	}
	claims := jwt.RegisteredClaims{Issuer: f.ClientID, Subject: f.Username, Audience: jwt.ClaimStrings{aud},
		ExpiresAt: jwt.NewNumericDate(now.Add(assertionLife))}
	assertion, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(f.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("JWT bearer flow: sign the assertion: %w", err)
	}
	return url.Values{"grant_type": {sfapi.GrantJWTBearer}, "assertion": {assertion}}, []string{assertion, f.ClientID}, nil
}

func (f JWTBearer) String() string { return "JWT bearer flow" }

// ParsePrivateKey reads an RSA private key in PEM (PKCS #1 or PKCS #8), as
// openssl writes the key whose certificate an External Client App holds.
// Its errors never quote the key.
func ParsePrivateKey(pem []byte) (*rsa.PrivateKey, error) {
	k, err := jwt.ParseRSAPrivateKeyFromPEM(pem)
	if err != nil {
		return nil, errors.New("not an RSA private key in PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)")
	}
	return k, nil
}

// tokenSource holds the current access token of a flow and renews it.
// Tokens live only here; redact removes every token it ever held, and the
// flow's secrets, from any text.
type tokenSource struct {
	login rest.Client // the token endpoint's call loop
	flow  Flow

	mu       sync.Mutex
	current  string
	instance string   // the last token answer's instance_url
	secrets  []string // the flow's secrets and every token issued
}

// fetch requests a token and makes it current.
func (s *tokenSource) fetch(ctx context.Context) error {
	body, secrets, err := s.flow.form(s.login.Clock.Now())
	if err != nil {
		return fmt.Errorf("%s: %w", s.login.System, err)
	}
	s.remember(secrets...)
	var out sfapi.TokenResponse
	err = s.login.Do(ctx, rest.Call{Method: http.MethodPost, Path: sfapi.PathToken,
		Body: rest.Raw{ContentType: "application/x-www-form-urlencoded", Data: []byte(body.Encode())}, Out: &out, Idempotent: true})
	if err != nil {
		return err
	}
	if out.AccessToken == "" || out.InstanceURL == "" {
		return fmt.Errorf("%s: %s: the token answer has no access_token or instance_url", s.login.System, s.flow)
	}
	s.remember(out.AccessToken)
	s.mu.Lock()
	s.current, s.instance = out.AccessToken, out.InstanceURL
	s.mu.Unlock()
	return nil
}

// remember adds secrets to what redact removes, also in the form they
// take inside a form body, which a server might quote back.
func (s *tokenSource) remember(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		if strings.TrimSpace(v) == "" {
			continue
		}
		s.secrets = append(s.secrets, v)
		if q := url.QueryEscape(v); q != v {
			s.secrets = append(s.secrets, q)
		}
	}
}

func (s *tokenSource) authorize(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Header.Set("Authorization", "Bearer "+s.current)
}

// renew fetches a new token unless another call already replaced the one
// refused.
func (s *tokenSource) renew(ctx context.Context, refused string) error {
	s.mu.Lock()
	stale := refused == "Bearer "+s.current
	s.mu.Unlock()
	if !stale {
		return nil
	}
	return s.fetch(ctx)
}

func (s *tokenSource) redact(text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.secrets {
		text = strings.ReplaceAll(text, v, "[REDACTED]")
	}
	return text
}

// decodeTokenError reads the token endpoint's {error, error_description}.
func decodeTokenError(_ rest.Call, resp *http.Response, data []byte, e *live.APIError) rest.Verdict {
	var te sfapi.TokenError
	if json.Unmarshal(data, &te) == nil && te.Error != "" {
		e.Category, e.Message = te.Error, te.Description
	} else {
		e.Message = rest.Fallback(resp.StatusCode, data)
	}
	return rest.Verdict{}
}

// Connect gets an access token from the token endpoint at loginURL (the
// org's My Domain, https://acme.my.salesforce.com; or
// https://login.salesforce.com for the JWT bearer flow) and returns a
// client of the instance the token answer names. When the org answers 401
// INVALID_SESSION_ID (the session timed out mid-run), the client gets a
// new token and sends the call once more.
func Connect(ctx context.Context, loginURL string, flow Flow, opts ...Option) (*Client, error) {
	cfg := newConfig(opts)
	src := &tokenSource{flow: flow, login: rest.Client{Vendor: "salesforce", System: cfg.api.System, HTTP: cfg.api.HTTP,
		Retry: cfg.api.Retry, Timeout: cfg.api.Timeout, Clock: cfg.api.Clock, Log: cfg.api.Log,
		Authorize: func(*http.Request) {}, Decode: decodeTokenError}}
	src.login.Redact = src.redact
	src.login.Defaults()
	var err error
	if src.login.Base, err = rest.ParseBase(loginURL, "salesforce: login URL", "https://host", true); err != nil {
		return nil, err
	}
	if err := src.fetch(ctx); err != nil {
		return nil, err
	}
	c, err := build(cfg, src.instance, src.authorize, src.redact)
	if err != nil {
		return nil, fmt.Errorf("%s: the token answer's instance_url: %w", cfg.api.System, err)
	}
	c.api.Renew = src.renew
	return c, nil
}
