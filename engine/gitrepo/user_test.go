package gitrepo

import (
	"os/exec"
	"testing"
)

func TestUserEmail(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", t.TempDir()) // no global setting
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{{"init", "-q"}, {"config", "user.email", "dana@acme.example"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Skipf("git %v: %v\n%s", args, err, out)
		}
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.UserEmail(); got != "dana@acme.example" {
		t.Errorf("UserEmail() = %q, want dana@acme.example", got)
	}
}
