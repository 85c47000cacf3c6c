package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionStamp builds mops the way a release does (.goreleaser.yaml's
// ldflags) and checks that `mops version` and `mops --version` print the
// same stamped version, commit and date.
func TestVersionStamp(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "mops")
	ldflags := "-X main.version=1.7.0 -X main.commit=89abcdef0123456789abcdef0123456789abcdef -X main.date=2026-12-01T10:00:00Z"
	if out, err := exec.Command("go", "build", "-ldflags", ldflags, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	want := "mops 1.7.0 (commit 89abcdef0123, built 2026-12-01T10:00:00Z)\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("mops %s: %v", strings.Join(args, " "), err)
		}
		if string(out) != want {
			t.Errorf("mops %s printed %q, want %q", strings.Join(args, " "), out, want)
		}
	}
	out, err := exec.Command(bin, "version", "--format", "json").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"formatVersion": 1`, `"version": "1.7.0"`, `"commit": "89abcdef0123456789abcdef0123456789abcdef"`, `"date": "2026-12-01T10:00:00Z"`} {
		if !strings.Contains(string(out), field) {
			t.Errorf("mops version --format json lacks %s:\n%s", field, out)
		}
	}
}
