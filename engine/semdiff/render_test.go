package semdiff_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/semdiff"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update after reviewing:\n%s", p, diff)
	}
}

func loadDir(t *testing.T, dir string) *model.Bundle {
	t.Helper()
	b, findings, err := load.Load(os.DirFS(dir), load.Options{})
	if err != nil || len(findings) > 0 {
		t.Fatalf("load %s: %v %+v", dir, err, findings)
	}
	return b
}

func renderReport(t *testing.T) *semdiff.Report {
	t.Helper()
	r := semdiff.Diff(loadDir(t, "testdata/render/base"), loadDir(t, "testdata/render/head"))
	r.Base = semdiff.Side{Ref: "main", Commit: "3f9c2a1d0b7e6f5a4c3b2a19081726354433221a"}
	r.Head = semdiff.Side{Ref: "feature/q1", Commit: "8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b"}
	return r
}

func TestRenderGolden(t *testing.T) {
	r := renderReport(t)
	for _, f := range []semdiff.Format{semdiff.Markdown, semdiff.Text, semdiff.JSON} {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := semdiff.Write(&b, f, r, semdiff.Options{}); err != nil {
				t.Fatal(err)
			}
			ext := map[semdiff.Format]string{semdiff.Markdown: "md", semdiff.Text: "txt", semdiff.JSON: "json"}[f]
			golden(t, "render."+ext, b.Bytes())
		})
	}
}

func TestJSONRoundTrips(t *testing.T) {
	r := renderReport(t)
	var b bytes.Buffer
	if err := semdiff.WriteJSON(&b, r, semdiff.Options{}); err != nil {
		t.Fatal(err)
	}
	var back semdiff.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Summary.Compliance != 1 || len(back.Documents) != len(r.Documents) {
		t.Errorf("round trip lost data: %+v", back.Summary)
	}
}

func TestTextColour(t *testing.T) {
	var b bytes.Buffer
	if err := semdiff.WriteText(&b, renderReport(t), semdiff.Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[32m+\x1b[0m") {
		t.Errorf("no green + marker in coloured text:\n%s", b.String())
	}
}

func TestUnknownFormat(t *testing.T) {
	err := semdiff.Write(&bytes.Buffer{}, "yaml", &semdiff.Report{}, semdiff.Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown format "yaml" for diff; supported: json, markdown, text`) {
		t.Errorf("err = %v", err)
	}
}

func TestNoDifferences(t *testing.T) {
	b := loadDir(t, "testdata/render/base")
	r := semdiff.Diff(b, b)
	r.Base = semdiff.Side{Ref: "main", Commit: "3f9c2a1d0b7e6f5a4c3b2a19081726354433221a"}
	var md, txt bytes.Buffer
	if err := semdiff.WriteMarkdown(&md, r, semdiff.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := semdiff.WriteText(&txt, r, semdiff.Options{}); err != nil {
		t.Fatal(err)
	}
	wantMD := "<!-- mops-diff -->\n### mops diff: `main` (3f9c2a1) → working tree\n\nNo semantic differences.\n"
	if md.String() != wantMD {
		t.Errorf("markdown = %q, want %q", md.String(), wantMD)
	}
	if txt.String() != "mops diff main (3f9c2a1) → working tree\n\nNo semantic differences.\n" {
		t.Errorf("text = %q", txt.String())
	}
}

// hugeBundles makes a diff far over GitHub's comment limit: many
// taxonomies, each with many relabelled values.
func hugeBundles(t *testing.T, taxonomies, values int) (*model.Bundle, *model.Bundle) {
	t.Helper()
	write := func(label string) map[string]string {
		files := map[string]string{}
		for i := range taxonomies {
			var b strings.Builder
			fmt.Fprintf(&b, "apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata: {name: tax-%03d}\nspec:\n  label: Taxonomy %d\n  values:\n", i, i)
			for j := range values {
				fmt.Fprintf(&b, "    - {value: v%03d, label: %s %d}\n", j, label, j)
			}
			files[fmt.Sprintf("t%03d.yaml", i)] = b.String()
		}
		// One compliance change, which the summary must keep.
		files["consent.yaml"] = "apiVersion: mops.dev/v1\nkind: ConsentPolicy\nmetadata: {name: eu}\nspec:\n  regions: [emea]\n  channels:\n    email: {allowed: true, lawfulBasis: [consent], optIn: " + map[string]string{"Old": "double", "New": "single"}[label] + "}\n"
		return files
	}
	return bundle(t, write("Old")), bundle(t, write("New"))
}

func TestMarkdownSummarisedUnderGitHubLimit(t *testing.T) {
	base, head := hugeBundles(t, 150, 40)
	r := semdiff.Diff(base, head)
	r.Base = semdiff.Side{Ref: "main", Commit: "3f9c2a1d0b7e6f5a4c3b2a19081726354433221a"}
	var full bytes.Buffer
	if err := semdiff.WriteMarkdown(&full, r, semdiff.Options{MaxLen: 1 << 30}); err != nil {
		t.Fatal(err)
	}
	if full.Len() <= semdiff.GitHubCommentLimit {
		t.Fatalf("the test diff is only %d bytes; make it bigger", full.Len())
	}
	var b bytes.Buffer
	if err := semdiff.WriteMarkdown(&b, r, semdiff.Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if b.Len() > semdiff.GitHubCommentLimit {
		t.Errorf("summarised markdown is %d bytes, over %d", b.Len(), semdiff.GitHubCommentLimit)
	}
	for _, want := range []string{
		"is over the comment limit of 65536 characters",
		"eu: email opt-in lowered from double to single (**loosened**)",
		"`tax-000` changed: 40 changes (40 changed)",
		"| Taxonomy | · | 150 | · |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(out, "<details>") {
		t.Error("summary still has per-document details")
	}
}

// TestMarkdownSummaryGolden pins the summary's layout with a small limit,
// so that documents are cut and the golden stays short enough to review.
func TestMarkdownSummaryGolden(t *testing.T) {
	base, head := hugeBundles(t, 12, 3)
	r := semdiff.Diff(base, head)
	r.Base = semdiff.Side{Ref: "main", Commit: "3f9c2a1d0b7e6f5a4c3b2a19081726354433221a"}
	var b bytes.Buffer
	if err := semdiff.WriteMarkdown(&b, r, semdiff.Options{MaxLen: 1500}); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 1500 {
		t.Errorf("summary is %d bytes, over the 1500 asked for", b.Len())
	}
	golden(t, "summary.md", b.Bytes())
}
