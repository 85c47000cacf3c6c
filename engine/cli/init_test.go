package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live/sandbox"
)

// TestInitValidatesAndPlans is the first five minutes of a new user:
// mops init DIR, then mops validate and mops plan in DIR exit 0, and the
// plan shows the sandbox's difference from the sample taxonomy.
func TestInitValidatesAndPlans(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "acme-governance")
	stdout, stderr, code := run(t, "init", dir)
	if code != 0 {
		t.Fatalf("init exited %d:\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"mops.yaml", "raci.yaml", ".mops/mops.schema.json", ".vscode/settings.json", ".github/workflows/governance.yml", "Next: cd " + dir} {
		if !strings.Contains(stdout, want) {
			t.Errorf("init's report lacks %q:\n%s", want, stdout)
		}
	}
	if out, errOut, code := run(t, "validate", "--dir", dir); code != 0 {
		t.Fatalf("validate of a new repository exited %d:\n%s%s", code, out, errOut)
	}
	out, errOut, code := run(t, "plan", "--dir", dir)
	if code != 0 {
		t.Fatalf("plan of a new repository exited %d:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, `add option "paid_social"`) {
		t.Errorf("the first plan does not show the sample change:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "mops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "name: acme-governance\n") || !strings.Contains(string(b), "# - name: hubspot-prod") {
		t.Errorf("mops.yaml lacks the folder's name or the commented real system:\n%s", b)
	}
}

// TestInitRefusesToOverwrite: a second init in the same folder, or one
// in a folder holding any of init's files, lists them and writes nothing.
func TestInitRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	mine := "# my own notes\n"
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "taxonomies"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "taxonomies", "channel.yaml"), []byte("x: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "init", dir)
	if code != 1 {
		t.Fatalf("init over existing files exited %d, want 1:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "has 2 of the files init writes, so nothing was written") ||
		!strings.Contains(stderr, "\n  README.md\n") || !strings.Contains(stderr, "\n  taxonomies/channel.yaml\n") {
		t.Errorf("the refusal does not list the two files:\n%s", stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "README.md")); string(b) != mine {
		t.Errorf("README.md was changed to:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "mops.yaml")); err == nil {
		t.Error("init wrote mops.yaml although it refused")
	}
}

// TestInitIgnoresStateButTracksTheSchema checks the new .gitignore with git
// itself: the sandbox's state is ignored, the editor schema and the change
// log are not.
func TestInitIgnoresStateButTracksTheSchema(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	if _, stderr, code := run(t, "init", dir); code != 0 {
		t.Fatal(stderr)
	}
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	for path, ignored := range map[string]bool{
		".mops/sandbox.json": true, ".mops/locks/sandbox.lock": true,
		".mops/mops.schema.json": false, ".mops/changelog": false, "taxonomies/channel.yaml": false,
	} {
		err := exec.Command("git", "-C", dir, "check-ignore", "-q", path).Run()
		if got := err == nil; got != ignored {
			t.Errorf("git ignores %s: %v, want %v", path, got, ignored)
		}
	}
}

// TestInitFromHubSpot imports into the new repository from a HubSpot API
// (the sandbox's emulator, reached over HTTP like HubSpot).
func TestInitFromHubSpot(t *testing.T) {
	sb, err := sandbox.Open(filepath.Join(t.TempDir(), "state.json"), "../../examples/acme/live/sandbox-seed.json", sandbox.WithToken("pat-test"))
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	dir := filepath.Join(t.TempDir(), "imported")
	var out, errOut bytes.Buffer
	env := Env{
		Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string {
			if k == "HUBSPOT_TOKEN" {
				return "pat-test"
			}
			return ""
		},
		Now:        func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) },
		IsTerminal: func(io.Writer) bool { return false },
	}
	if code := Run(context.Background(), []string{"init", dir, "--from", "hubspot", "--url", url}, env); code != 0 {
		t.Fatalf("init --from hubspot exited %d:\n%s%s", code, out.String(), errOut.String())
	}
	if strings.Contains(out.String()+errOut.String(), "pat-test") {
		t.Error("the token appears in init's output")
	}
	for _, f := range []string{"taxonomies/contacts-lead-source.yaml", "lifecycle/contacts-lifecycle.yaml", "raci.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("init --from hubspot did not write %s: %v\n%s", f, err, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "campaigns")); err == nil {
		t.Error("an imported repository got the sample campaign, which names taxonomies the import did not write")
	}
	out.Reset()
	errOut.Reset()
	if code := Run(context.Background(), []string{"validate", "--dir", dir}, env); code != 0 {
		t.Fatalf("validate of the imported repository exited %d:\n%s%s", code, out.String(), errOut.String())
	}

	// Without the token nothing is written.
	other := filepath.Join(t.TempDir(), "none")
	_, stderr, code := run(t, "init", other, "--from", "hubspot")
	if code != 1 || !strings.Contains(stderr, "HUBSPOT_TOKEN, which is not set; nothing was written") {
		t.Errorf("init --from hubspot without a token: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("init without a token created the folder")
	}
}
