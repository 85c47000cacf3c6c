package policy

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"

	"github.com/mops-dev/mops/policies"
)

// TestRegoFormatted keeps the built-in and example policies in `opa fmt`
// style.
func TestRegoFormatted(t *testing.T) {
	check := func(name string, src []byte) {
		got, err := format.SourceWithOpts(name, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if !bytes.Equal(got, src) {
			if os.Getenv("MOPS_REGO_FMT") != "" {
				_ = os.WriteFile(name, got, 0o644)
			}
			t.Errorf("%s is not formatted as opa fmt would", name)
		}
	}
	_ = fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".rego") {
			src, _ := fs.ReadFile(policies.FS, p)
			check(filepath.Join("../../policies", p), src)
		}
		return nil
	})
	files, _ := filepath.Glob("../../examples/acme/policies/*.rego")
	for _, f := range files {
		src, _ := os.ReadFile(f)
		check(f, src)
	}
}
