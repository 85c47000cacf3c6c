package load

import (
	"strings"
	"testing"
	"testing/fstest"
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
