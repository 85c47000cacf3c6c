package systems_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
	"github.com/mops-dev/mops/engine/live/systems"
	"github.com/mops-dev/mops/engine/model"
)

// TestSalesforceAuthFromEnv: each flow of mops.yaml's auth, with its
// secrets in the variables it names, connects to the emulator's token
// endpoint; an unset variable makes the system unreachable and says which;
// a bad key is refused without being quoted.
func TestSalesforceAuthFromEnv(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	keyFile := filepath.Join(t.TempDir(), "mops.key")
	if err := os.WriteFile(keyFile, []byte(keyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	const secret = "s3cr3t-consumer-secret"
	sb, err := sfsandbox.Open("", "", sfsandbox.WithApp(sfsandbox.App{ClientID: "3MVGkey", ClientSecret: secret, Certificate: &key.PublicKey}))
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	env := map[string]string{"SF_ID": "3MVGkey", "SF_SECRET": secret, "SF_KEY": keyPEM, "SF_KEY_FILE": keyFile,
		"SF_BAD_KEY": "-----BEGIN NOTHING-----hunter2", "SF_NO_FILE": filepath.Join(t.TempDir(), "missing.key")}
	cc := &model.SystemAuth{Flow: "client-credentials", ClientIDEnv: "SF_ID", ClientSecretEnv: "SF_SECRET"}
	jwtWith := func(keyEnv, fileEnv string) *model.SystemAuth {
		return &model.SystemAuth{Flow: "jwt-bearer", ClientIDEnv: "SF_ID", Username: "mops@sandbox.example", PrivateKeyEnv: keyEnv, PrivateKeyFileEnv: fileEnv}
	}
	cases := []struct {
		name    string
		auth    *model.SystemAuth
		unset   string
		wantErr string // "" to connect and read
	}{
		{"client credentials", cc, "", ""},
		{"jwt, key in a variable", jwtWith("SF_KEY", ""), "", ""},
		{"jwt, key file", jwtWith("", "SF_KEY_FILE"), "", ""},
		{"secret unset", cc, "SF_SECRET", "not reachable from here: environment variable SF_SECRET is not set; it must hold the External Client App's consumer secret"},
		{"consumer key unset", jwtWith("SF_KEY", ""), "SF_ID", "environment variable SF_ID is not set"},
		{"not a key", jwtWith("SF_BAD_KEY", ""), "", "system sf: environment variable SF_BAD_KEY: not an RSA private key in PEM"},
		{"no key file", jwtWith("", "SF_NO_FILE"), "", "the private key file named by SF_NO_FILE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := model.Project{Systems: []model.System{{Name: "sf", Type: "salesforce", InstanceURL: url, Auth: tc.auth}}}
			getenv := func(k string) string {
				if k == tc.unset {
					return ""
				}
				return env[k]
			}
			conn, err := systems.Open(context.Background(), t.TempDir(), p, "sf", getenv)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				var ue *systems.UnreachableError
				if tc.unset != "" && !errors.As(err, &ue) {
					t.Errorf("error %v is not an UnreachableError", err)
				}
				for _, s := range []string{secret, "hunter2", "NOTHING", "MII"} {
					if strings.Contains(err.Error(), s) {
						t.Errorf("error quotes a secret: %v", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			b := live.Binding{System: "sf", Object: "Lead", Property: "LeadSource"}
			if _, err := conn.Provider.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{b}}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
