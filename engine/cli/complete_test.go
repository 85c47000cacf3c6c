package cli

import (
	"slices"
	"strings"
	"testing"
)

// complete runs cobra's hidden completion command, as the shell scripts of
// `mops completion` do, and returns the candidates.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	stdout, stderr, code := run(t, append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %v: exit %d\n%s", args, code, stderr)
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if l != "" && !strings.HasPrefix(l, ":") {
			out = append(out, strings.SplitN(l, "\t", 2)[0])
		}
	}
	return out
}

func TestCompletion(t *testing.T) {
	dir := "../../examples/acme"
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"kinds", []string{"schema", ""}, []string{"Campaign", "LifecycleModel", "Taxonomy"}},
		{"systems of mops.yaml in --dir", []string{"plan", "--dir", dir, "--system", ""}, []string{"hubspot-prod", "salesforce-sandbox", "sandbox"}},
		{"formats of validate", []string{"validate", "--format", ""}, []string{"github", "junit", "sarif"}},
		{"formats of plan", []string{"plan", "--format", ""}, []string{"markdown", "json"}},
		{"git refs", []string{"diff", "--dir", dir, "--base", ""}, []string{"HEAD"}},
		{"config keys", []string{"config", "get", ""}, []string{"changelog", "systems"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := complete(t, c.args...)
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("completing %v offers %v, without %s", c.args, got, w)
				}
			}
		})
	}
	if got := complete(t, "plan", "--format", ""); slices.Contains(got, "sarif") {
		t.Errorf("plan's formats include sarif: %v", got)
	}
}

// TestBoolFlagsInHelp: help shows --dry-run as it is typed, not pflag's
// --dry-run[=true|false].
func TestBoolFlagsInHelp(t *testing.T) {
	stdout, _, code := run(t, "apply", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(stdout, "[=true|false]") || !strings.Contains(stdout, "      --dry-run   ") {
		t.Errorf("apply --help:\n%s", stdout)
	}
}
