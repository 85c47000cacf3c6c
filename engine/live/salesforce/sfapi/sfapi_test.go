package sfapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

func TestParseLimitInfo(t *testing.T) {
	for h, want := range map[string]sfapi.LimitInfo{
		"api-usage=10018/100000":              {Used: 10018, Max: 100000},
		"api-usage=1/15000; api-bursts=1/750": {Used: 1, Max: 15000},
		" api-bursts=1/750 ;api-usage=5/10 ":  {Used: 5, Max: 10},
	} {
		got, ok := sfapi.ParseLimitInfo(h)
		if !ok || got != want {
			t.Errorf("%q: %+v %v, want %+v", h, got, ok, want)
		}
	}
	for _, h := range []string{"", "api-usage=5", "api-usage=a/b", "api-usage=5/0", "per-app-api-usage=1/2"} {
		if _, ok := sfapi.ParseLimitInfo(h); ok {
			t.Errorf("%q: want no usage", h)
		}
	}
}

func TestNormaliseVersion(t *testing.T) {
	for in, want := range map[string]string{"v62.0": "v62.0", "62.0": "v62.0", " v58.0 ": "v58.0"} {
		if got, err := sfapi.NormaliseVersion(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, in := range []string{"", "62", "v62", "v62.0.1", "latest"} {
		if _, err := sfapi.NormaliseVersion(in); err == nil {
			t.Errorf("%q: want an error", in)
		}
	}
}

// TestMetadataKeepsUnknownMembers: what mops does not model survives a
// read-modify-write, at every level.
func TestMetadataKeepsUnknownMembers(t *testing.T) {
	in := `{"label":"Region","type":"Picklist","required":false,"trackHistory":true,
	 "valueSet":{"controllingField":null,"restricted":true,"valueSetName":null,"valueSettings":[{"valueName":"na"}],
	  "valueSetDefinition":{"sorted":false,"value":[{"valueName":"na","label":"NA","default":false,"isActive":null,"description":null,"color":"#FF0000","converted":true}]}}}`
	var md sfapi.CustomFieldMetadata
	if err := json.Unmarshal([]byte(in), &md); err != nil {
		t.Fatal(err)
	}
	md.ValueSet.ValueSetDefinition.Value[0].Label = "North America"
	out, err := json.Marshal(md)
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	_ = json.Unmarshal(out, &got)
	_ = json.Unmarshal([]byte(in), &want)
	want["valueSet"].(map[string]any)["valueSetDefinition"].(map[string]any)["value"].([]any)[0].(map[string]any)["label"] = "North America"
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) {
		t.Fatalf("round trip:\n got %s\nwant %s", gj, wj)
	}
	if !md.ValueSet.ValueSetDefinition.Value[0].Active() {
		t.Fatal("isActive null must read as active")
	}
}

func TestRecordUpdateJSON(t *testing.T) {
	data, err := json.Marshal(sfapi.RecordUpdate{Type: "Lead", ID: "00Q000000000001AAA", Fields: map[string]*string{"LeadSource": nil, "Region__c": new("na")}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"LeadSource":null,"Region__c":"na","attributes":{"type":"Lead"},"id":"00Q000000000001AAA"}`; string(data) != want {
		t.Fatalf("got %s, want %s", data, want)
	}
	if _, err := json.Marshal(sfapi.RecordUpdate{Type: "Lead", ID: "x", Fields: map[string]*string{"attributes": nil}}); err == nil {
		t.Fatal("want an error for a reserved field name")
	}
}

// BenchmarkMetadataRoundTrip decodes and re-encodes a field's Metadata with
// 200 values, each with a member the type does not model.
func BenchmarkMetadataRoundTrip(b *testing.B) {
	var vals []string
	for i := range 200 {
		vals = append(vals, fmt.Sprintf(`{"valueName":"v%d","label":"V%d","default":false,"isActive":true,"description":null,"color":null,"converted":false}`, i, i))
	}
	in := []byte(`{"label":"Region","type":"Picklist","required":false,"valueSet":{"controllingField":null,"restricted":true,"valueSetName":null,` +
		`"valueSetDefinition":{"sorted":false,"value":[` + strings.Join(vals, ",") + `]}}}`)
	for b.Loop() {
		var md sfapi.CustomFieldMetadata
		if err := json.Unmarshal(in, &md); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(md); err != nil {
			b.Fatal(err)
		}
	}
}
