package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryJSONOutputHasFormatVersion: a script reading any --format json
// output can check the version of the shape it reads.
func TestEveryJSONOutputHasFormatVersion(t *testing.T) {
	dir := exampleCopy(t)
	out := filepath.Join(t.TempDir(), "imported")
	commands := [][]string{
		{"validate", "--dir", dir},
		{"diff", "--dir", "../../examples/acme", "--base", "HEAD"},
		{"plan", "--dir", dir},
		{"drift", "--dir", dir},
		{"import", "--dir", dir, "--system", "sandbox", "--out", out},
		{"test", "--dir", dir},
		{"log", "--dir", dir},
		{"log", "--dir", dir, "--verify"},
		{"version"},
		{"config", "get", "systems", "--dir", dir},
		{"init", filepath.Join(t.TempDir(), "new")},
	}
	for _, args := range commands {
		t.Run(strings.Join(args[:1], " "), func(t *testing.T) {
			stdout, stderr, code := run(t, append(args, "--format", "json")...)
			if code != 0 && code != ExitChanges {
				t.Fatalf("mops %s --format json: exit %d\n%s", strings.Join(args, " "), code, stderr)
			}
			var v struct {
				FormatVersion *int `json:"formatVersion"`
			}
			if err := json.Unmarshal([]byte(stdout), &v); err != nil {
				t.Fatalf("mops %s --format json is not one JSON object: %v\n%.300s", strings.Join(args, " "), err, stdout)
			}
			if v.FormatVersion == nil || *v.FormatVersion < 1 {
				t.Errorf("mops %s --format json has no formatVersion:\n%.300s", strings.Join(args, " "), stdout)
			}
		})
	}
}
