//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/mops-dev/mops/engine/changelog"
)

// TestApplyIntoClosedPipe: `mops apply plan.json ... | head -1` closes the
// pipe while apply is still writing to live. A process that dies of
// SIGPIPE at its next line of output would stop between two writes; mops
// must instead finish the run, so the change log holds every step and its
// outcome and live matches the repository.
func TestApplyIntoClosedPipe(t *testing.T) {
	bin := buildMops(t, "builds mops")
	c := newCrashCase(t, bin)
	c.run(t, 0, "plan", "--system", "sandbox", "--out", c.plan)

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // the reader is gone before mops writes its first line
	cmd := exec.Command(c.bin, "apply", c.plan, "--approved-by", "dana-whitfield", "--approved-by", "priya-raman", "--dir", c.dir)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "NO_COLOR=1", "MOPS_CRASH_TOKEN=crash-test-token", "MOPS_ACTOR=ci"}
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Run()
	w.Close()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == -1 {
		t.Fatalf("mops apply was killed by a signal (%v) writing to a closed pipe", ee)
	}

	recs, problems, err := changelog.Verify(c.log)
	if err != nil || len(problems) > 0 {
		t.Fatalf("change log: %v %+v", err, problems)
	}
	if p, u := changelog.Pending(recs), changelog.Unfinished(recs); len(p) > 0 || len(u) > 0 {
		t.Fatalf("apply stopped part way: %d open intent(s), %d unfinished run(s)", len(p), len(u))
	}
	c.run(t, 0, "plan", "--system", "sandbox", "--detailed-exitcode")
}
