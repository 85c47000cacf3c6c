package cli

import (
	"strings"
	"testing"
)

func TestCodeownersFromRACI(t *testing.T) {
	stdout, stderr, code := run(t, "codeowners", "--dir", "../../examples/acme", "--path-prefix", "gov")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := map[string]string{}
	for _, l := range strings.Split(stdout, "\n") {
		if path, owners, ok := strings.Cut(l, " "); ok && strings.HasPrefix(path, "/") {
			lines[path] = owners
		}
	}
	cases := []struct{ file, want, notWant string }{
		// taxonomy-change: accountable mops-lead, responsible automation.
		{"/gov/taxonomies/lead-source.yaml", "@acme/mops-leads", "@acme/privacy"},
		{"/gov/taxonomies/lead-source.yaml", "@acme/marketing-automation", ""},
		// consent-change is accountable to legal.
		{"/gov/consent/eu-gdpr.yaml", "@acme/privacy", "@acme/demand-gen"},
		{"/gov/mops.yaml", "@", ""},
	}
	for _, c := range cases {
		owners, ok := lines[c.file]
		if !ok {
			t.Errorf("no CODEOWNERS line for %s", c.file)
			continue
		}
		if !strings.Contains(owners, c.want) {
			t.Errorf("%s owners %q lack %s", c.file, owners, c.want)
		}
		if c.notWant != "" && strings.Contains(owners, c.notWant) {
			t.Errorf("%s owners %q include %s", c.file, owners, c.notWant)
		}
	}
}
