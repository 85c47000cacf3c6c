package policy

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

// testToday is the date every fixture is checked on.
var testToday = time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)

// repoWith lays out the clean base repository plus extra files (path ->
// content) in a temporary folder and returns it.
func repoWith(t testing.TB, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	base := filepath.Join("testdata", "base")
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return write(dir, rel, string(data))
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, content := range extra {
		if err := write(dir, p, content); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func write(dir, rel, content string) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(content), 0o644)
}

// loadBundle loads a repository folder with the real loader. Load
// findings fail the test for the policy fixtures (laid out in temporary
// folders by repoWith); for the example repository they are the loader's
// business.
func loadBundle(t testing.TB, dir string) *model.Bundle {
	t.Helper()
	b, fs, err := load.Load(os.DirFS(dir), load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(dir, os.TempDir()) {
		for _, f := range fs {
			t.Errorf("load finding: %s:%d: %s", f.File, f.Line, f.Message)
		}
	}
	return b
}

// evaluate runs a fresh engine with opts (Today defaulting to testToday)
// over the repository in dir.
func evaluate(t testing.TB, dir string, opts Options) []source.Finding {
	t.Helper()
	if opts.Today.IsZero() {
		opts.Today = testToday
	}
	b := loadBundle(t, dir)
	if opts.RepoPolicies == nil && len(opts.RepoPolicyDirs) > 0 {
		opts.RepoPolicies = os.DirFS(dir)
	}
	e, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Evaluate(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func dump(fs []source.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s:%d:%d %s %s: %s", f.File, f.Line, f.Column, f.Severity, f.Rule, f.Message)
		if f.Waived {
			b.WriteString(" [waived]")
		}
	}
	return b.String()
}
