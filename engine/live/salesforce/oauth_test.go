package salesforce_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

const (
	clientID     = "3MVG9mopsTestConsumerKey"
	clientSecret = "8A4BE698BCA2+16718ECB0B1/DCA294C69-secret"
)

// testKey is an RSA key made once per test run: the JWT bearer flow's
// private key, whose public half the sandbox's app holds.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// oauthEnv is the emulator with an External Client App, served on
// loopback; connect runs a flow against its token endpoint.
type oauthEnv struct {
	sb   *sfsandbox.Sandbox
	url  string
	tr   *countingTransport
	logs *bytes.Buffer
}

func newOAuthEnv(t *testing.T, st *sfsandbox.State, opts ...sfsandbox.Option) *oauthEnv {
	t.Helper()
	if st == nil {
		st = seedState(t)
	}
	opts = append([]sfsandbox.Option{sfsandbox.WithApp(sfsandbox.App{ClientID: clientID, ClientSecret: clientSecret, Certificate: &testKey().PublicKey})}, opts...)
	sb, err := sfsandbox.FromState(st, opts...)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	e := &oauthEnv{sb: sb, tr: &countingTransport{next: tr, n: map[string]int{}}, logs: &bytes.Buffer{}}
	e.url = clienttest.Start(t, sb.Start, tr)
	return e
}

func (e *oauthEnv) connect(ctx context.Context, loginURL string, flow salesforce.Flow) (*salesforce.Client, error) {
	return salesforce.Connect(ctx, loginURL, flow,
		salesforce.WithHTTPClient(&http.Client{Transport: e.tr}), salesforce.WithSystem(system),
		salesforce.WithRetry(clienttest.FastRetry()), salesforce.WithClock(&clienttest.Clock{}),
		salesforce.WithTimeout(5*time.Second),
		salesforce.WithLogger(slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
}

func jwtFlow(key *rsa.PrivateKey) salesforce.JWTBearer {
	return salesforce.JWTBearer{ClientID: clientID, Username: "mops@sandbox.example", Key: key}
}

// TestFlowsGetATokenAndWork: both flows get a token from the emulator's
// token endpoint and then read the org with it.
func TestFlowsGetATokenAndWork(t *testing.T) {
	for name, flow := range map[string]salesforce.Flow{
		"client credentials": salesforce.ClientCredentials{ClientID: clientID, ClientSecret: clientSecret},
		"jwt bearer":         jwtFlow(testKey()),
		"jwt bearer, sandbox audience": salesforce.JWTBearer{ClientID: clientID, Username: "mops@sandbox.example",
			Key: testKey(), Audience: sfapi.AudienceSandbox},
	} {
		t.Run(name, func(t *testing.T) {
			e := newOAuthEnv(t, nil)
			c, err := e.connect(context.Background(), e.url, flow)
			if err != nil {
				t.Fatal(err)
			}
			if p := readOne(t, c, bind("Lead", "Region__c")); len(p.Options) == 0 {
				t.Fatalf("read %+v", p)
			}
			if n := e.tr.count("POST", sfapi.PathToken); n != 1 {
				t.Errorf("%d token requests, want 1", n)
			}
		})
	}
}

// TestTokenRefusals: what the token endpoint refuses, in its words, with
// no secret in the error.
func TestTokenRefusals(t *testing.T) {
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		flow salesforce.Flow
		want string
	}{
		{"wrong secret", salesforce.ClientCredentials{ClientID: clientID, ClientSecret: "not-the-secret"}, "invalid_client: invalid client credentials"},
		{"unknown app", salesforce.ClientCredentials{ClientID: "3MVGnobody", ClientSecret: clientSecret}, "invalid_client_id: client identifier invalid"},
		{"key the app does not hold", jwtFlow(otherKey), "invalid_grant: invalid assertion"},
		{"user not pre-authorized", salesforce.JWTBearer{ClientID: clientID, Username: "someone@acme.example", Key: testKey()}, "invalid_grant: user hasn't approved this consumer"},
		{"other audience", salesforce.JWTBearer{ClientID: clientID, Username: "mops@sandbox.example", Key: testKey(), Audience: "https://evil.example"}, "invalid_grant: audience is invalid"},
		{"missing secret", salesforce.ClientCredentials{ClientID: clientID}, "needs a consumer key and a consumer secret"},
		{"missing key", salesforce.JWTBearer{ClientID: clientID, Username: "u"}, "needs a consumer key, a username and a private key"},
	}
	e := newOAuthEnv(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.connect(context.Background(), e.url, tc.flow)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), system+": ") {
				t.Errorf("error %q does not name the system", err)
			}
			for _, secret := range []string{clientSecret, "not-the-secret"} {
				if strings.Contains(err.Error(), secret) || strings.Contains(e.logs.String(), secret) {
					t.Errorf("a secret leaks: %v / %s", err, e.logs)
				}
			}
		})
	}
}

// TestInstanceFromTokenAnswer: the token request goes to the login host,
// every API call to the instance the token answer names.
func TestInstanceFromTokenAnswer(t *testing.T) {
	e := newOAuthEnv(t, nil)
	instance, err := url.Parse(e.url)
	if err != nil {
		t.Fatal(err)
	}
	var login sync.Map // paths the login host saw
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login.Store(r.URL.Path, true)
		if r.URL.Path != sfapi.PathToken {
			http.NotFound(w, r)
			return
		}
		r.Host = instance.Host // the emulator names the host it was reached at
		e.sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := e.connect(context.Background(), srv.URL, salesforce.ClientCredentials{ClientID: clientID, ClientSecret: clientSecret})
	if err != nil {
		t.Fatal(err)
	}
	readOne(t, c, bind("Lead", "Region__c"))
	if !strings.Contains(c.String(), e.url) {
		t.Errorf("client %s does not call the instance %s", c, e.url)
	}
	login.Range(func(k, _ any) bool {
		if k != sfapi.PathToken {
			t.Errorf("the login host got %v", k)
		}
		return true
	})
}

// TestRenewMidMigration: the session expires in the middle of a
// migration; the client gets a new token, sends the refused batch once
// more and finishes, and no token or secret reaches an error or a log.
func TestRenewMidMigration(t *testing.T) {
	for name, flow := range map[string]salesforce.Flow{
		"client credentials": salesforce.ClientCredentials{ClientID: clientID, ClientSecret: clientSecret},
		"jwt bearer":         jwtFlow(testKey()),
	} {
		t.Run(name, func(t *testing.T) {
			e := newOAuthEnv(t, seedWith(t, 445), sfsandbox.WithPageSize(100))
			ctx := context.Background()
			c, err := e.connect(ctx, e.url, flow)
			if err != nil {
				t.Fatal(err)
			}
			batches := 0
			res, err := c.MigrateRecords(ctx, live.Migration{Binding: bind("Lead", "Region__c"), From: "latam", To: "na"},
				func(live.BatchResult) error {
					if batches++; batches == 1 {
						e.sb.SetFaults(sfsandbox.Faults{ExpireSessions: 1, PathPrefix: api + "/composite/sobjects"})
					}
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if res.Updated != 450 || res.Failed != 0 {
				t.Fatalf("result %+v", res)
			}
			if n := e.tr.count("POST", sfapi.PathToken); n != 2 {
				t.Errorf("%d token requests, want 2 (one renewal)", n)
			}
			if n := e.tr.count("PATCH", api+"/composite/sobjects"); n != 4 {
				t.Errorf("%d collection calls, want 3 batches and the one refused", n)
			}
			if left := e.sb.Holders("Lead", "Region__c", "latam"); len(left) != 0 {
				t.Errorf("%d records still on latam", len(left))
			}
		})
	}
}

// TestRenewOnce: a session that ends again right after the renewal fails
// the call instead of renewing forever.
func TestRenewOnce(t *testing.T) {
	e := newOAuthEnv(t, nil)
	ctx := context.Background()
	c, err := e.connect(ctx, e.url, salesforce.ClientCredentials{ClientID: clientID, ClientSecret: clientSecret})
	if err != nil {
		t.Fatal(err)
	}
	e.sb.SetFaults(sfsandbox.Faults{ExpireSessions: 2, PathPrefix: api})
	_, err = c.Read(ctx, live.ReadRequest{Bindings: []live.Binding{bind("Lead", "Region__c")}})
	var ae *live.APIError
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Category != sfapi.CodeInvalidSession {
		t.Fatalf("error %v, want the second 401", err)
	}
	if n := e.tr.count("POST", sfapi.PathToken); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
}

// TestParsePrivateKey reads PKCS #1 and PKCS #8 PEM and refuses the rest
// without quoting it.
func TestParsePrivateKey(t *testing.T) {
	k := testKey()
	pkcs8, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"pkcs1": pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}),
		"pkcs8": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
	} {
		got, err := salesforce.ParsePrivateKey(data)
		if err != nil || !got.Equal(k) {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err = salesforce.ParsePrivateKey([]byte("secret-looking-garbage"))
	if err == nil || strings.Contains(err.Error(), "secret-looking-garbage") {
		t.Errorf("error %v", err)
	}
}

// TestTokenEndpointEchoRedacted: a token endpoint that quotes the request
// back (secret, assertion) in its error, or a token it issued, has every
// one of them redacted.
func TestTokenEndpointEchoRedacted(t *testing.T) {
	srv := clienttest.NewStub(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"you sent ` + r.PostForm.Encode() + `"}`))
	})
	for name, flow := range map[string]salesforce.Flow{
		"client credentials": salesforce.ClientCredentials{ClientID: clientID, ClientSecret: clientSecret},
		"jwt bearer":         jwtFlow(testKey()),
	} {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			_, err := salesforce.Connect(context.Background(), srv.URL, flow, salesforce.WithRetry(clienttest.FastRetry()),
				salesforce.WithClock(&clienttest.Clock{}), salesforce.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			if err == nil || !strings.Contains(err.Error(), "[REDACTED]") {
				t.Fatalf("error %v", err)
			}
			if strings.Contains(err.Error(), url.QueryEscape(clientSecret)) || strings.Contains(err.Error(), "eyJ") {
				t.Errorf("error leaks a secret or the assertion: %v", err)
			}
		})
	}
}
