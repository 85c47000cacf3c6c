package systems

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/mops-dev/mops/engine/live/salesforce"
	"github.com/mops-dev/mops/engine/model"
)

// openSalesforce connects to a Salesforce org: with the access token in
// tokenEnv, or with the OAuth flow auth describes, whose secrets come
// from the variables it names.
func openSalesforce(ctx context.Context, sys model.System, getenv func(string) string, o options) (*Connection, error) {
	if sys.InstanceURL == "" || (sys.TokenEnv == "") == (sys.Auth == nil) {
		return nil, fmt.Errorf("system %s: type salesforce needs spec.systems[].instanceURL, and either tokenEnv (the name of the environment variable holding an access token) or auth (an OAuth flow)", sys.Name)
	}
	opts := []salesforce.Option{salesforce.WithSystem(sys.Name), salesforce.WithAPIVersion(sys.APIVersion), salesforce.WithLogger(o.log),
		salesforce.WithBulkThreshold(sys.BulkThreshold)}
	if sys.Auth == nil {
		token := getenv(sys.TokenEnv)
		if token == "" {
			return nil, &UnreachableError{System: sys.Name, Reason: fmt.Sprintf("environment variable %s is not set; it must hold a Salesforce access token", sys.TokenEnv)}
		}
		c, err := salesforce.New(sys.InstanceURL, token, opts...)
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", sys.Name, err)
		}
		return &Connection{System: sys, Provider: c}, nil
	}
	flow, err := salesforceFlow(sys, getenv)
	if err != nil {
		return nil, err
	}
	c, err := salesforce.Connect(ctx, sys.InstanceURL, flow, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", sys.Name, err)
	}
	return &Connection{System: sys, Provider: c}, nil
}

// salesforceFlow builds the OAuth flow of sys.Auth from the variables it
// names. An unset variable makes the system unreachable; a key that is
// not a PEM RSA key is an error that does not quote it.
func salesforceFlow(sys model.System, getenv func(string) string) (salesforce.Flow, error) {
	a := sys.Auth
	need := func(variable, holds string) (string, error) {
		v := getenv(variable)
		if variable == "" || v == "" {
			return "", &UnreachableError{System: sys.Name, Reason: fmt.Sprintf("environment variable %s is not set; it must hold %s", variable, holds)}
		}
		return v, nil
	}
	clientID, err := need(a.ClientIDEnv, "the External Client App's consumer key")
	if err != nil {
		return nil, err
	}
	switch a.Flow {
	case "client-credentials":
		secret, err := need(a.ClientSecretEnv, "the External Client App's consumer secret")
		if err != nil {
			return nil, err
		}
		return salesforce.ClientCredentials{ClientID: clientID, ClientSecret: secret}, nil
	case "jwt-bearer":
		var pem []byte
		var from string
		if a.PrivateKeyFileEnv != "" {
			path, err := need(a.PrivateKeyFileEnv, "the path of the PEM private key whose certificate the External Client App holds")
			if err != nil {
				return nil, err
			}
			if pem, err = os.ReadFile(path); err != nil {
				// The path is the variable's value: a repository that names
				// another secret's variable must not get it shown.
				var pe *fs.PathError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				return nil, fmt.Errorf("system %s: the private key file named by %s cannot be read: %w", sys.Name, a.PrivateKeyFileEnv, err)
			}
			from = "the file named by " + a.PrivateKeyFileEnv
		} else {
			key, err := need(a.PrivateKeyEnv, "the PEM private key whose certificate the External Client App holds")
			if err != nil {
				return nil, err
			}
			pem, from = []byte(key), "environment variable "+a.PrivateKeyEnv
		}
		key, err := salesforce.ParsePrivateKey(pem)
		if err != nil {
			return nil, fmt.Errorf("system %s: %s: %w", sys.Name, from, err)
		}
		return salesforce.JWTBearer{ClientID: clientID, Username: a.Username, Key: key, Audience: a.Audience}, nil
	}
	return nil, fmt.Errorf("system %s: unknown auth flow %q; supported: client-credentials, jwt-bearer", sys.Name, a.Flow)
}
