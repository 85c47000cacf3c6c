package model_test

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
)

func loadFS(t *testing.T, files map[string]string) *model.Bundle {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	b, findings, err := load.Load(fsys, load.Options{})
	if err != nil || len(findings) > 0 {
		t.Fatalf("load: %v %+v", err, findings)
	}
	return b
}

// TestBoundSystems: the systems documents bind come in mops.yaml order,
// each once, and a system mops.yaml does not declare still counts (plan
// then says it is unknown) after the declared ones.
func TestBoundSystems(t *testing.T) {
	b := loadFS(t, map[string]string{
		"mops.yaml": `apiVersion: mops.dev/v1
kind: Project
metadata: {name: t}
spec:
  systems: [{name: crm, type: sandbox}, {name: erp, type: sandbox}, {name: idle, type: sandbox}]
`,
		"a.yaml": `apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: a}
spec:
  values: [{value: x, label: X}]
  bindings:
    - {system: ghost, object: contacts, property: a}
    - {system: erp, object: Lead, property: A__c}
    - {system: crm, object: contacts, property: a}
`,
		"b.yaml": `apiVersion: mops.dev/v1
kind: LifecycleModel
metadata: {name: b}
spec:
  bindings: [{system: erp, object: Lead, property: Status}]
---
apiVersion: mops.dev/v1
kind: RACI
metadata: {name: r}
spec:
  bindings: [{system: idle, object: x, property: y}]
`,
	})
	if diff := cmp.Diff([]string{"crm", "erp", "ghost"}, b.BoundSystems()); diff != "" {
		t.Errorf("BoundSystems (-want +got):\n%s", diff)
	}
	want := []model.Binding{{System: "ghost", Object: "contacts", Property: "a"}, {System: "erp", Object: "Lead", Property: "A__c"}, {System: "crm", Object: "contacts", Property: "a"}}
	if diff := cmp.Diff(want, b.Get(model.Key{Kind: model.KindTaxonomy, Name: "a"}).Bindings()); diff != "" {
		t.Errorf("Bindings (-want +got):\n%s", diff)
	}
}

// TestBindingsOfHostileValues: bindings are read from values a pull
// request controls; entries of the wrong shape are left out, never a panic.
func TestBindingsOfHostileValues(t *testing.T) {
	b := loadFS(t, map[string]string{
		"mops.yaml": "apiVersion: mops.dev/v1\nkind: Project\nmetadata: {name: t}\nspec: {}\n",
		"a.yaml": `apiVersion: mops.dev/v1
kind: Taxonomy
metadata: {name: a}
spec:
  bindings: ["crm", 3, null, [x], {system: 5}, {system: crm, object: [1], property: {a: b}}, {object: contacts}]
---
apiVersion: mops.dev/v1
kind: LifecycleModel
metadata: {name: b}
spec:
  bindings: {system: crm}
`,
	})
	got := b.Get(model.Key{Kind: model.KindTaxonomy, Name: "a"}).Bindings()
	if diff := cmp.Diff([]model.Binding{{System: "crm"}}, got); diff != "" {
		t.Errorf("Bindings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"crm"}, b.BoundSystems()); diff != "" {
		t.Errorf("BoundSystems (-want +got):\n%s", diff)
	}
}
