package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
	"github.com/mops-dev/mops/engine/source"
)

const waiver = `  owner: field-marketing
  waivers:
    - rule: campaign.lead-time
      until: 2027-02-20
      reason: Board-mandated launch date
      approvedBy: mops-lead
`

// TestWaiverDatedByCommit: the 90-day limit on a waiver counts from the
// commit that added it (git blame of its until line), not from today. The
// example repository is committed on 2026-11-02 (gitrepotest's clock);
// today is 2026-11-27; the waiver runs to 2027-02-20: 110 days after its
// commit, 85 after today.
func TestWaiverDatedByCommit(t *testing.T) {
	tooLong := func(r source.Report) bool {
		for _, f := range r.Findings {
			if f.Rule == "waiver.too-long" && f.File == "campaigns/fy27-q3.yaml" {
				return true
			}
		}
		return false
	}
	r := gitrepotest.New(t)
	r.CopyDir("../../examples/acme", "gov")
	r.Remove("gov/.mops", "gov/.github")
	gov := filepath.Join(r.Dir, "gov")
	edit(t, gov, "campaigns/fy27-q3.yaml", "  owner: field-marketing\n", waiver)
	r.Commit("waive the lead time")

	out, _, code := run(t, "validate", "--format", "json", "--dir", gov)
	if code != 1 || !tooLong(findings(t, out)) {
		t.Fatalf("committed 110 days before it ends: want waiver.too-long (exit 1), got exit %d:\n%s", code, out)
	}

	// The same waiver extended in the working tree counts from today.
	edit(t, gov, "campaigns/fy27-q3.yaml", "until: 2027-02-20", "until: 2027-02-19")
	out, _, code = run(t, "validate", "--format", "json", "--dir", gov)
	if tooLong(findings(t, out)) {
		t.Fatalf("an uncommitted waiver counts from today (84 days): no waiver.too-long expected, exit %d:\n%s", code, out)
	}

	// Outside git there is no commit date: today it is.
	plain := filepath.Join(t.TempDir(), "gov")
	if err := os.CopyFS(plain, os.DirFS(gov)); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(plain, ".git"))
	edit(t, plain, "campaigns/fy27-q3.yaml", "until: 2027-02-19", "until: 2027-02-20")
	out, _, _ = run(t, "validate", "--format", "json", "--dir", plain)
	if tooLong(findings(t, out)) {
		t.Fatalf("outside git the waiver counts from today: %s", out)
	}
}
