// Package scaffold writes a new governance repository: mops.yaml with a
// seeded sandbox, sample documents of the main kinds, RACI, the editor
// schema and its VS Code mapping, the GitHub workflow and a README. It
// validates clean and plans against its sandbox as written.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"github.com/mops-dev/mops/engine/importer"
	"github.com/mops-dev/mops/engine/schema"
)

//go:embed all:templates
var templates embed.FS

// SchemaPath is where the editor schema goes (tracked: .gitignore keeps it).
const SchemaPath = ".mops/mops.schema.json"

// Options shape the repository.
type Options struct {
	// Name is the Project's metadata.name; it is made a slug.
	Name string
	// From is the live system type the repository will be imported from
	// ("hubspot"), or empty for the sample documents.
	From string
	// URL is the API base URL of From (empty: the vendor's).
	URL string
}

// Froms lists the system types Options.From takes.
func Froms() []string { return []string{"hubspot"} }

// File is one file to write; Path is a slash path relative to the root.
type File struct {
	Path string
	Data []byte
}

// samples are the documents left out when the repository is imported:
// they name taxonomies an import does not write.
var samples = []string{"taxonomies/", "lifecycle/", "conventions/", "campaigns/", "consent/"}

// Files renders the repository.
func Files(o Options) ([]File, error) {
	if o.From != "" && !slices.Contains(Froms(), o.From) {
		return nil, fmt.Errorf("cannot import from %q; supported: %s", o.From, strings.Join(Froms(), ", "))
	}
	if o.URL != "" {
		u, err := url.Parse(o.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(o.URL, " \t\r\n\"'#") {
			return nil, fmt.Errorf("--url %q is not an http(s) URL", o.URL)
		}
	}
	data := struct {
		Name, From, URL, DefaultSystem string
	}{Name: importer.Slug(o.Name), From: o.From, URL: o.URL, DefaultSystem: "sandbox"}
	if o.From != "" {
		data.DefaultSystem = o.From + "-prod"
	}
	var files []File
	err := fs.WalkDir(templates, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(p, "templates/")
		if o.From != "" && slices.ContainsFunc(samples, func(s string) bool { return strings.HasPrefix(rel, s) }) {
			return nil
		}
		body, err := fs.ReadFile(templates, p)
		if err != nil {
			return err
		}
		if name, ok := strings.CutSuffix(rel, ".tmpl"); ok {
			t, err := template.New(path.Base(p)).Option("missingkey=error").Parse(string(body))
			if err != nil {
				return fmt.Errorf("template %s: %w", rel, err)
			}
			var b bytes.Buffer
			if err := t.Execute(&b, data); err != nil {
				return fmt.Errorf("template %s: %w", rel, err)
			}
			rel, body = name, b.Bytes()
		}
		files = append(files, File{Path: rel, Data: body})
		return nil
	})
	if err != nil {
		return nil, err
	}
	bundle, err := schema.Bundle()
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: SchemaPath, Data: bundle})
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// ExistsError refuses to write over files that are already there.
type ExistsError struct {
	Dir   string
	Paths []string // slash paths relative to Dir
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already has %d of the files init writes; nothing was written (move them away, or run init in an empty folder): %s",
		e.Dir, len(e.Paths), strings.Join(e.Paths, ", "))
}

// Write writes files under dir, creating it. When any of them exists
// already, it writes nothing and returns an *ExistsError naming them all.
func Write(dir string, files []File) error {
	var exists []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Path))); !errors.Is(err, fs.ErrNotExist) {
			exists = append(exists, f.Path)
		}
	}
	if len(exists) > 0 {
		return &ExistsError{Dir: dir, Paths: exists}
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", filepath.Dir(p), err)
		}
		// O_EXCL: a file that appeared since the check is not replaced.
		out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
		if _, err := out.Write(f.Data); err != nil {
			out.Close()
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
		if err := out.Close(); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	return nil
}
