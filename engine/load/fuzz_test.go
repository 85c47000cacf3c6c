package load

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

// FuzzLoad feeds arbitrary bytes to the loader as a governance file. It must
// never panic, and every finding must point inside the file.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata: {name: x}\nspec: {values: [{value: a, label: A}]}\n"))
	f.Add([]byte("a: &a [1,2]\nb: [*a,*a]\n---\n- x\n"))
	f.Add([]byte("k: v\nk: w\n"))
	f.Add([]byte("\tk: v\n"))
	f.Add([]byte("k: \"unterminated\n"))
	f.Add([]byte{0xff, 0xfe, 'a', ':', ' ', 'b'})
	f.Add([]byte("<<: {a: 1}\n<<: [{b: 2}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"mops.yaml": {Data: []byte(project)},
			"x.yaml":    {Data: data},
		}
		b, findings, err := Load(fsys, Options{MaxFileSize: 1 << 16})
		if err != nil {
			t.Fatalf("Load returned an error for file content: %v", err)
		}
		// YAML counts \r, \n, \r\n, NEL and the Unicode separators as
		// line breaks; a finding may point at most one past the last.
		lines := 2 + strings.Count(string(data), "\n") + strings.Count(string(data), "\r") +
			strings.Count(string(data), "\u0085") + strings.Count(string(data), "\u2028") + strings.Count(string(data), "\u2029")
		for _, fd := range findings {
			if fd.File == "x.yaml" && fd.Line > lines {
				t.Fatalf("finding at line %d beyond the file's %d lines: %s", fd.Line, lines, fd.Message)
			}
		}
		for _, d := range b.Docs {
			if d.Value == nil || d.Kind == "" {
				t.Fatalf("document without value or kind reached the bundle")
			}
		}
	})
}

// FuzzSplit feeds arbitrary bytes to a split load, as two files beside a
// plain campaign. Whatever the content, the split's bundle, its campaigns
// read back and checked for duplicates must give the documents and
// findings Load gives, unless a campaign file read back holds another kind
// of document (then validate loads the repository whole).
func FuzzSplit(f *testing.F) {
	f.Add([]byte("apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: c\nspec: {}\n"))
	f.Add([]byte("apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: b\nspec: {}\n---\nkind: Campaign\nmetadata:\n  name: b\n"))
	f.Add([]byte("kind: Campaign\nmetadata:\n  labels:\n    name: x\n  name: y\n"))
	f.Add([]byte("kind: Campaign\nmetadata:\n  name: |\n    b\n"))
	f.Add([]byte("{kind: Campaign, metadata: {name: b}}\n---\nkind: SLA\nmetadata: {name: b}\n"))
	f.Add([]byte("kind: Campaign\nmetadata:\n  name: b\n  name: b\n"))
	f.Add([]byte("kind: Campaign\nmetadata:\n  name: \"b\"\n---\n# only a comment\n---\nkind: Campaign # c\nmetadata: {name: c}\n"))
	f.Add([]byte("kind: Campaign\n\"kind\": SLA\n"))
	const plain = "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: b\nspec: {}\n"
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"mops.yaml": {Data: []byte(project)},
			"a.yaml":    {Data: data},
			"b.yaml":    {Data: []byte(plain)},
			"c.yaml":    {Data: data},
		}
		check := func(d *model.Document) []source.Finding {
			return []source.Finding{{Rule: "check", File: d.File, Line: d.Line, Message: d.Name}}
		}
		opts := Options{MaxFileSize: 1 << 16, Check: check}
		b, want, err := Load(fsys, opts)
		if err != nil {
			t.Fatal(err)
		}
		s, err := LoadSplit(fsys, opts)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(s.Findings)
		docs := slices.Clone(s.Bundle.Docs)
		var named []Named
		var checked [][]source.Finding
		var campaigns []*model.Document
		for i := range s.Campaigns {
			r := s.Read(i, true)
			got = append(got, r.Findings...)
			for j, d := range r.Docs {
				if d.Kind != model.KindCampaign {
					return // misjudged: the stream falls back to Load
				}
				named = append(named, Named{Key: d.Key(), Start: d.Start(), NamePos: d.PosOf("metadata.name")})
				checked = append(checked, r.Checked[j])
				campaigns = append(campaigns, d)
			}
		}
		dups := Duplicates(named)
		for i, d := range campaigns {
			if f, dup := dups[i]; dup {
				got = append(got, f)
				continue
			}
			got = append(got, checked[i]...)
			docs = append(docs, d)
		}
		source.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("findings differ (-Load +LoadSplit):\n%s", diff)
		}
		key := func(d *model.Document) string { return fmt.Sprintf("%s#%d %s %v", d.File, d.Index, d.Key(), d.Value) }
		var wantDocs, gotDocs []string
		for _, d := range b.Docs {
			wantDocs = append(wantDocs, key(d))
		}
		for _, d := range docs {
			gotDocs = append(gotDocs, key(d))
		}
		slices.Sort(wantDocs)
		slices.Sort(gotDocs)
		if diff := cmp.Diff(wantDocs, gotDocs); diff != "" {
			t.Fatalf("documents differ (-Load +LoadSplit):\n%s", diff)
		}
	})
}
