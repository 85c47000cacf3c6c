// Package model defines the governance documents mops reads: the envelope
// every document shares, the supported kinds, and the repository bundle that
// the later stages (schema, policy, diff, plan) work on.
package model

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/mops-dev/mops/engine/source"
)

// APIVersion is the only apiVersion mops understands.
const APIVersion = "mops.dev/v1"

// Kind names a document type.
type Kind string

// The kinds of RESOURCES.md.
const (
	KindProject          Kind = "Project"
	KindTaxonomy         Kind = "Taxonomy"
	KindLifecycleModel   Kind = "LifecycleModel"
	KindNamingConvention Kind = "NamingConvention"
	KindRACI             Kind = "RACI"
	KindSLA              Kind = "SLA"
	KindConsentPolicy    Kind = "ConsentPolicy"
	KindCampaign         Kind = "Campaign"
)

// Kinds lists every supported kind in the order documentation shows them.
func Kinds() []Kind {
	return []Kind{KindProject, KindTaxonomy, KindLifecycleModel, KindNamingConvention,
		KindRACI, KindSLA, KindConsentPolicy, KindCampaign}
}

// KindNames returns the supported kinds as a comma-separated list for
// error messages.
func KindNames() string {
	names := make([]string, 0, 8)
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

// ParseKind reports whether s is a supported kind.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds() {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Key identifies a document: names are unique per kind.
type Key struct {
	Kind Kind
	Name string
}

func (k Key) String() string { return fmt.Sprintf("%s/%s", k.Kind, k.Name) }

// Document is one YAML document of a governance file, kept both as the
// yaml.Node tree (for positions) and as a JSON-compatible value (for schema
// and policy evaluation).
type Document struct {
	// File is the slash-separated path relative to the repository root.
	File string
	// Index is the document's position within its file, from 0, counting
	// empty documents.
	Index int
	// Line and Column are where the document's body starts.
	Line, Column int
	// Value is the document as JSON-compatible data: map[string]any, []any,
	// string, bool, nil, int64 and float64. Dates stay strings.
	Value map[string]any

	APIVersion string
	Kind       Kind
	Name       string

	root *lazyRoot
}

// lazyRoot holds a document's node tree, or what rebuilds it. A large
// repository keeps only values in memory: the tree (tens of bytes per
// node) is parsed again from the file's bytes on the rare occasions a
// position is needed, once per document.
type lazyRoot struct {
	once sync.Once
	node *yaml.Node
	src  []byte
}

// NewDocument returns a document of file whose root node is root. With
// keep false, the tree is dropped and re-parsed from src on demand.
func NewDocument(file string, index int, root *yaml.Node, src []byte, value map[string]any, keep bool) *Document {
	d := &Document{File: file, Index: index, Value: value, root: &lazyRoot{src: src}}
	body := root
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		body = root.Content[0]
	}
	d.Line, d.Column = body.Line, body.Column
	if keep {
		d.root.node = root
		d.root.once.Do(func() {})
	}
	return d
}

// Root returns the document's node tree (the yaml DocumentNode).
func (d *Document) Root() *yaml.Node {
	if d.root == nil {
		return &yaml.Node{}
	}
	d.root.once.Do(func() {
		dec := yaml.NewDecoder(bytes.NewReader(d.root.src))
		for i := 0; ; i++ {
			var n yaml.Node
			if err := dec.Decode(&n); err != nil {
				d.root.node = &yaml.Node{}
				return
			}
			if i == d.Index {
				d.root.node = &n
				return
			}
		}
	})
	return d.root.node
}

// Source returns the content of the document's file, as loading read it
// (nil for a document built without one).
func (d *Document) Source() []byte {
	if d.root == nil {
		return nil
	}
	return d.root.src
}

// Key returns the document's kind and name.
func (d *Document) Key() Key { return Key{Kind: d.Kind, Name: d.Name} }

// Start is where the document begins.
func (d *Document) Start() source.Pos {
	return source.Pos{File: d.File, Line: d.Line, Column: d.Column}
}

// PosOf returns the position of the node at path (dotted or JSON pointer).
// When the path does not exist in full, it returns the deepest node that
// does, so a "missing field" finding points at the object lacking it.
func (d *Document) PosOf(path string) source.Pos {
	segs := source.ParsePath(path)
	if len(segs) == 0 {
		return d.Start()
	}
	n, _ := source.Lookup(d.Root(), segs)
	if n == nil {
		return d.Start()
	}
	return source.Pos{File: d.File, Line: n.Line, Column: n.Column}
}

// KeyPosOf returns the position of the key of the mapping entry at path,
// falling back to PosOf when there is no such key.
func (d *Document) KeyPosOf(path string) source.Pos {
	if k := source.KeyNode(d.Root(), source.ParsePath(path)); k != nil {
		return source.Pos{File: d.File, Line: k.Line, Column: k.Column}
	}
	return d.PosOf(path)
}

// Finding builds a finding about this document at path.
func (d *Document) Finding(rule string, sev source.Severity, path, msg string) source.Finding {
	f := source.Finding{Rule: rule, Severity: sev, Message: msg, Kind: string(d.Kind), Name: d.Name, Path: path}
	return f.At(d.PosOf(path))
}

// Spec returns the document's spec object, or nil.
func (d *Document) Spec() map[string]any {
	m, _ := d.Value["spec"].(map[string]any)
	return m
}

// Decode decodes the document's spec into v (a typed struct of this package).
func (d *Document) Decode(v any) error {
	spec, matched := source.Lookup(d.Root(), []string{"spec"})
	if spec == nil || matched != 1 {
		return fmt.Errorf("%s: %s has no spec", d.File, d.Key())
	}
	if err := spec.Decode(v); err != nil {
		return fmt.Errorf("%s: decode %s: %w", d.File, d.Key(), err)
	}
	return nil
}

// Bundle is a loaded governance repository.
type Bundle struct {
	// Project is the mops.yaml document; nil when it is missing or invalid.
	Project *Document
	// Docs holds every governed document (not the Project) in file order.
	Docs []*Document
	// Files is the number of files read, mops.yaml included.
	Files int
	// Shallow counts documents read without parsing (load.Options.Shallow):
	// known by kind and name only, not in Docs.
	Shallow int
	// Sources maps a file path to its content, for rendering source lines.
	Sources map[string][]byte
}

// ByKind returns the documents of kind k in file order.
func (b *Bundle) ByKind(k Kind) []*Document {
	var out []*Document
	for _, d := range b.Docs {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

// Get returns the document with key k, or nil.
func (b *Bundle) Get(k Key) *Document {
	for _, d := range b.Docs {
		if d.Kind == k.Kind && d.Name == k.Name {
			return d
		}
	}
	return nil
}

// Documents counts the documents including the Project.
func (b *Bundle) Documents() int {
	n := len(b.Docs)
	if b.Project != nil {
		n++
	}
	return n
}
