package sfapi

// OAuth 2.0 token endpoint and identity, as an External Client App (or a
// Connected App) reaches them: POST application/x-www-form-urlencoded to
// PathToken on the org's My Domain (required for the client credentials
// flow) or on https://login.salesforce.com / https://test.salesforce.com.
const (
	// PathToken is the token endpoint.
	PathToken = "/services/oauth2/token"
	// PathUserInfo: GET, the OpenID Connect UserInfo of the token's user.
	PathUserInfo = "/services/oauth2/userinfo"
)

// Grant types mops sends.
const (
	GrantClientCredentials = "client_credentials"
	GrantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
)

// Audiences a JWT bearer assertion may name: production and sandbox login
// hosts.
const (
	AudienceProduction = "https://login.salesforce.com"
	AudienceSandbox    = "https://test.salesforce.com"
)

// TokenResponse is a successful token answer. Salesforce sends no
// expires_in: a token lasts as long as the session timeout of the
// integration user's profile (2 hours by default), and a call after that
// gets 401 INVALID_SESSION_ID.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	// InstanceURL is the org's host every API call then goes to.
	InstanceURL string `json:"instance_url"`
	// ID is the identity URL, https://login.salesforce.com/id/{orgId}/{userId}.
	ID        string `json:"id"`
	TokenType string `json:"token_type"`
	IssuedAt  string `json:"issued_at"`
	Signature string `json:"signature"`
	Scope     string `json:"scope,omitempty"`
}

// TokenError is a refused token request (HTTP 400 or 401), e.g.
// {"error":"invalid_client","error_description":"invalid client credentials"}.
type TokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// UserInfo is the part of the UserInfo answer mops reads.
type UserInfo struct {
	UserID            string `json:"user_id"`
	OrganizationID    string `json:"organization_id"`
	PreferredUsername string `json:"preferred_username"`
	Active            bool   `json:"active"`
}
