package schema

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/mops-dev/mops/engine/load"
)

// TestEveryUnknownFieldReported checks that two misspelt fields in one
// object give two findings, each at its own key: JSON Schema reports them
// as one violation, and a user fixing one should not discover the next on
// the following run.
func TestEveryUnknownFieldReported(t *testing.T) {
	fsys := fstest.MapFS{
		"mops.yaml": {Data: []byte("apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: p\nspec:\n  systems: [{name: sandbox, type: sandbox}]\n")},
		"channel.yaml": {Data: []byte(`apiVersion: mops.dev/v1
kind: Taxonomy
metadata:
  name: channel
spec:
  lable: Channel
  valus:
    - {value: email, label: Email}
`)},
	}
	b, _, err := load.Load(fsys, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range v.Validate(b.Docs[0]) {
		got = append(got, fmt.Sprintf("%s@%d:%d", f.Path, f.Line, f.Column))
	}
	want := map[string]bool{"spec.lable@6:3": true, "spec.valus@7:3": true}
	for _, g := range got {
		delete(want, g)
	}
	if len(want) > 0 {
		t.Errorf("findings at %v; missing %v", got, want)
	}
}
