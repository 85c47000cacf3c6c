package policy

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Policies are untrusted: a repository under review may carry a hostile
// .rego file. They are compiled with OPA capabilities that leave out every
// built-in function able to reach the network, the environment or files,
// or to make a run depend on anything but its input.

// Why a built-in function is withheld.
const (
	reasonSandbox       = "they run without network, environment or file access"
	reasonDeterministic = "they must give the same result on every run"
)

// withheld reports whether the named OPA built-in is left out of the
// policies' capabilities, and why.
func withheld(name string) (reason string, ok bool) {
	switch {
	case name == "http.send", // network
		strings.HasPrefix(name, "net."),                           // net.lookup_ip_addr and, as asked, every net.* function
		name == "opa.runtime",                                     // exposes environment variables and the OPA configuration
		name == "json.match_schema", name == "json.verify_schema", // resolve remote and file $refs
		name == "providers.aws.sign_req", // only useful to call out to AWS
		name == "io.jwt.decode_verify":   // verifies against the wall clock
		return reasonSandbox, true
	case name == "rand.intn", name == "uuid.rfc4122", // random
		name == "io.jwt.encode_sign", name == "io.jwt.encode_sign_raw": // random nonces
		return reasonDeterministic, true
	}
	return "", false
}

// capabilities are OPA's for this version minus the withheld built-ins,
// plus the custom mops functions. time.now_ns stays but is pinned to the
// run's date (see Options.Today), so it cannot make runs differ.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if _, drop := withheld(b.Name); !drop {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	for _, b := range builtins() {
		caps.Builtins = append(caps.Builtins, &ast.Builtin{
			Name: b.decl.Name, Description: b.decl.Description, Decl: b.decl.Decl,
		})
	}
	// Remote bundles and plugins are not a policy's business.
	caps.AllowNet = []string{}
	return caps
}

// explainWithheld rewrites the compiler's "undefined function" error for a
// withheld built-in into one that says why it is not there.
func explainWithheld(e *ast.Error) {
	const prefix = "undefined function "
	if !strings.HasPrefix(e.Message, prefix) {
		return
	}
	name := strings.TrimPrefix(e.Message, prefix)
	if reason, ok := withheld(name); ok {
		e.Message = name + " is not available to repository policies (" + reason + ")"
	}
}
