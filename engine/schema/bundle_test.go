package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/source"
)

// TestBundleIsSelfContained: every $ref of the bundle points into the
// bundle itself, and at something that is there.
func TestBundleIsSelfContained(t *testing.T) {
	data, err := Bundle()
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), `"$id"`) {
		t.Error("the bundle keeps an $id: editors would resolve refs against it")
	}
	refs := 0
	var walk func(n any)
	walk = func(n any) {
		switch n := n.(type) {
		case map[string]any:
			if ref, ok := n["$ref"].(string); ok {
				refs++
				if !strings.HasPrefix(ref, "#") {
					t.Errorf("$ref %q leaves the file", ref)
				} else if (&Validator{raw: map[string]any{"b": doc}}).subschema("b"+ref) == nil {
					t.Errorf("$ref %q points at nothing in the bundle", ref)
				}
			}
			for _, v := range n {
				walk(v)
			}
		case []any:
			for _, v := range n {
				walk(v)
			}
		}
	}
	walk(doc)
	if refs < 50 {
		t.Errorf("only %d $refs in the bundle; the schemas have over a hundred", refs)
	}
}

// TestBundleValidatesLikeTheSchemas compiles the bundle alone, with every
// remote load refused, and checks that it accepts the example repository
// and rejects what the per-kind schemas reject.
func TestBundleValidatesLikeTheSchemas(t *testing.T) {
	data, err := Bundle()
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(url string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("the bundle loaded %s: it must need nothing outside itself", url)
	}
	if err := c.AddResource("file:///repo/.mops/mops.schema.json", bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	bundle, err := c.Compile("file:///repo/.mops/mops.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	b, findings, err := load.Load(os.DirFS("../../examples/acme"), load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Severity == source.Deny {
			t.Fatalf("the example does not load: %v", f)
		}
	}
	docs := append(b.Docs, b.Project)
	if len(docs) < 20 {
		t.Fatalf("only %d documents in the example", len(docs))
	}
	for _, d := range docs {
		if err := bundle.Validate(d.Value); err != nil {
			t.Errorf("%s %s (%s): the bundle rejects a valid document: %v", d.Kind, d.Name, d.File, err)
		}
	}

	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"an unknown spec field":     "apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata: {name: region}\nspec:\n  label: Region\n  valuez: []\n  values: [{value: emea, label: EMEA}]\n",
		"an unknown top field":      "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata: {name: x}\nspec: {}\nstatus: {}\n",
		"a field of the wrong type": "apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata: {name: region}\nspec:\n  label: Region\n  values: emea\n",
	}
	for what, src := range bad {
		fsys := map[string]string{"mops.yaml": "apiVersion: mops.dev/v1\nkind: Project\nmetadata: {name: t}\nspec: {}\n", "doc.yaml": src}
		mfs := fstest.MapFS{}
		for name, body := range fsys {
			mfs[name] = &fstest.MapFile{Data: []byte(body)}
		}
		lb, _, err := load.Load(mfs, load.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ds := lb.Docs
		if len(ds) != 1 {
			t.Fatalf("%s: loaded %d documents", what, len(ds))
		}
		if len(v.Validate(ds[0])) == 0 {
			t.Fatalf("%s: the per-kind schema accepts it; the case is wrong", what)
		}
		if bundle.Validate(ds[0].Value) == nil {
			t.Errorf("%s: the bundle accepts what the per-kind schema rejects", what)
		}
	}
}
