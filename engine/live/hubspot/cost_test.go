package hubspot_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

// TestReadCost300Properties: 300 bound properties over 4 object types are
// read in at most 10 requests (one properties list per object type plus
// one subscription-definitions call: 5).
func TestReadCost300Properties(t *testing.T) {
	objects := []string{"contacts", "companies", "deals", "tickets"}
	st := &sandbox.State{Objects: map[string]*sandbox.Object{}}
	var bindings []live.Binding
	for _, o := range objects {
		obj := &sandbox.Object{}
		for i := range 75 {
			name := fmt.Sprintf("picklist_%02d", i)
			obj.Properties = append(obj.Properties, &hsapi.Property{
				Name: name, Label: name, Type: "enumeration", FieldType: "select", GroupName: "g",
				Options: []hsapi.Option{{Label: "A", Value: "a"}, {Label: "B", Value: "b", DisplayOrder: 1}},
			})
			bindings = append(bindings, bind(o, name))
		}
		st.Objects[o] = obj
	}
	st.SubscriptionDefinitions = []hsapi.SubscriptionDefinition{{ID: "1", Name: "Marketing Newsletter", IsActive: true}}
	sb, err := sandbox.FromState(st, sandbox.WithLimits(sandbox.DefaultLimits()))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb)
	snap, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: bindings, SubscriptionTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Properties) != 300 || len(snap.Missing) != 0 || len(snap.SubscriptionTypes) != 1 {
		t.Fatalf("got %d properties, %d missing, %d subscription types", len(snap.Properties), len(snap.Missing), len(snap.SubscriptionTypes))
	}
	if n := e.tr.totalRequests(); n > 10 {
		t.Fatalf("read took %d requests, want at most 10 (%s)", n, e.tr)
	}
	if n := e.tr.totalRequests(); n != 5 {
		t.Errorf("read took %d requests, want 5 (%s)", n, e.tr)
	}
}
