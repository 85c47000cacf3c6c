package semdiff_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/semdiff"
)

const project = `apiVersion: mops.dev/v1
kind: Project
metadata: {name: acme}
spec: {}
`

// bundle loads files (path → YAML) as a repository with a minimal
// mops.yaml, failing on any load finding.
func bundle(t *testing.T, files map[string]string) *model.Bundle {
	t.Helper()
	fsys := fstest.MapFS{"mops.yaml": {Data: []byte(project)}}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(strings.TrimLeft(content, "\n"))}
	}
	b, findings, err := load.Load(fsys, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) > 0 {
		t.Fatalf("load findings: %+v", findings)
	}
	return b
}

// diffOne diffs one file's documents and returns the only document report.
func diffOne(t *testing.T, file, base, head string) semdiff.Document {
	t.Helper()
	r := semdiff.Diff(bundle(t, map[string]string{file: base}), bundle(t, map[string]string{file: head}))
	if len(r.Documents) != 1 {
		t.Fatalf("got %d documents, want 1: %+v", len(r.Documents), r.Documents)
	}
	return r.Documents[0]
}

// brief is the part of a change most tests assert on.
type brief struct {
	Op      semdiff.Op
	Subject string
	Message string
}

func briefs(cs []semdiff.Change) []brief {
	var out []brief
	for _, c := range cs {
		out = append(out, brief{c.Op, c.Subject, c.Message})
	}
	return out
}

func ops(cs []semdiff.Change) []semdiff.Op {
	var out []semdiff.Op
	for _, c := range cs {
		out = append(out, c.Op)
	}
	return out
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
