package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
)

// TestScorecardCommand runs the command end to end on the example
// committed once, and checks how it refuses what it cannot do.
func TestScorecardCommand(t *testing.T) {
	r := gitrepotest.New(t)
	r.CopyDir("../../examples/acme", "gov")
	r.Remove("gov/.mops", "gov/.github")
	r.Commit("governance") // 2026-11-02 09:00, a Monday
	gov := filepath.Join(r.Dir, "gov")

	out, errOut, code := run(t, "scorecard", "--dir", gov, "--since", "4w", "--format", "markdown")
	// All 31 campaigns are requested in the week of 2026-11-02 and pass.
	if code != 0 || !strings.Contains(out, "| 2026-11-02 | ") || !strings.Contains(out, "100% (31/31)") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(gov, ".mops", "cache", "scorecard.json")); err != nil {
		t.Errorf("no cache written: %v", err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "sarif"}, `unknown format "sarif" for scorecard; supported: html, json, markdown, text`},
		{[]string{"--since", "3x"}, `--since "3x"`},
		{[]string{"--until", "2026-13-01"}, `--until "2026-13-01" is not a date`},
		{[]string{"--dir", t.TempDir()}, "mops.yaml"},
	} {
		args := append([]string{"scorecard", "--dir", gov}, tc.args...)
		_, errOut, code := run(t, args...)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", tc.args, code, errOut, tc.want)
		}
	}
}
