package repofs_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mops-dev/mops/engine/repofs"
)

// tree builds a folder from a map of slash paths: "->target" makes a
// symbolic link, anything else a file with that content.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(content, "->"); ok {
			err = os.Symlink(target, p)
		} else {
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func open(t *testing.T, dir string) *repofs.FS {
	t.Helper()
	f, err := repofs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// secret is a file outside every test repository.
func secret(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(p, []byte("token: SECRET-MARKER\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLinksLeavingTheRepositoryAreRefusedAtTheLink(t *testing.T) {
	s := secret(t)
	dir := tree(t, map[string]string{
		"slas/abs.yaml":      "->" + s,
		"slas/up.yaml":       "->../../" + filepath.Base(filepath.Dir(s)) + "/secret.yaml",
		"slas/hop.yaml":      "->abs.yaml", // inside, to a link that leaves
		"out":                "->" + filepath.Dir(s),
		"slas/inside.yaml":   "->../docs/real.yaml",
		"docs/real.yaml":     "kind: SLA\n",
		"linked/real.yaml":   "->../docs/real.yaml",
		"loop/a.yaml":        "->b.yaml",
		"loop/b.yaml":        "->a.yaml",
		"slas/dangling.yaml": "->nowhere.yaml",
	})
	f := open(t, dir)
	for _, tc := range []struct {
		name, link string
	}{
		{"slas/abs.yaml", "slas/abs.yaml"},
		{"slas/up.yaml", "slas/up.yaml"},
		{"slas/hop.yaml", "slas/abs.yaml"},
		{"out/secret.yaml", "out"},
	} {
		for op, call := range map[string]func() error{
			"Open":     func() error { _, err := f.Open(tc.name); return err },
			"Stat":     func() error { _, err := f.Stat(tc.name); return err },
			"ReadFile": func() error { _, err := f.ReadFile(tc.name); return err },
		} {
			err := call()
			var outside *repofs.OutsideError
			if !errors.As(err, &outside) {
				t.Errorf("%s(%s) = %v, want an *OutsideError", op, tc.name, err)
				continue
			}
			if outside.Link != tc.link {
				t.Errorf("%s(%s): the error names link %q, want %q", op, tc.name, outside.Link, tc.link)
			}
			if strings.Contains(err.Error(), "SECRET-MARKER") {
				t.Errorf("%s(%s): the error shows the target's content: %v", op, tc.name, err)
			}
		}
	}
	for _, name := range []string{"slas/inside.yaml", "linked/real.yaml"} {
		data, err := f.ReadFile(name)
		if err != nil || string(data) != "kind: SLA\n" {
			t.Errorf("ReadFile(%s) = %q, %v; a link inside the repository must keep working", name, data, err)
		}
	}
	for _, name := range []string{"loop/a.yaml", "slas/dangling.yaml"} {
		var outside *repofs.OutsideError
		if _, err := f.Open(name); err == nil || errors.As(err, &outside) {
			t.Errorf("Open(%s) = %v, want a plain error (the link stays inside)", name, err)
		}
	}
}

func TestReadsAreBounded(t *testing.T) {
	fsys := fstest.MapFS{
		"small.yaml": {Data: []byte("a: 1\n")},
		"big.yaml":   {Data: bytes.Repeat([]byte("x"), 1000)},
	}
	if data, err := repofs.ReadFile(fsys, "small.yaml", 100); err != nil || len(data) != 5 {
		t.Errorf("small file: %q, %v", data, err)
	}
	if _, err := repofs.ReadFile(fsys, "big.yaml", 100); !errors.Is(err, repofs.ErrTooLarge) {
		t.Errorf("a file over the limit: %v, want ErrTooLarge", err)
	}
	for _, asked := range []int64{0, -1, repofs.MaxFileSize + 1, 1 << 40} {
		if got := repofs.Limit(asked); got != repofs.MaxFileSize {
			t.Errorf("Limit(%d) = %d, want the ceiling %d: no setting may lift it", asked, got, repofs.MaxFileSize)
		}
	}
	if got := repofs.Limit(10); got != 10 {
		t.Errorf("Limit(10) = %d: a lower limit must hold", got)
	}
}

func TestInsideRefusesPathsThatLeave(t *testing.T) {
	s := secret(t)
	dir := tree(t, map[string]string{"out": "->" + filepath.Dir(s), "in": "->.mops", ".mops/x": ""})
	for _, p := range []string{"../x", "/etc/passwd", "a/../../x", "..", ".", "", `..\x`, "out/state.json", "out/new/state.json"} {
		if got, err := repofs.Inside(dir, p); err == nil {
			t.Errorf("Inside(%q) = %s, want an error", p, got)
		}
	}
	for _, p := range []string{".mops/sandbox.json", "a/b/c", "in/state.json", "./x"} {
		got, err := repofs.Inside(dir, p)
		if err != nil {
			t.Errorf("Inside(%q): %v", p, err)
			continue
		}
		if rel, _ := filepath.Rel(dir, got); !filepath.IsLocal(rel) {
			t.Errorf("Inside(%q) = %s, not under %s", p, got, dir)
		}
	}
}
