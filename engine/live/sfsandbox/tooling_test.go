package sfsandbox_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
)

func getCustomField(t *testing.T, h http.Handler, id string) sfapi.CustomField {
	t.Helper()
	var cf sfapi.CustomField
	call(t, h, http.MethodGet, api+"/tooling/sobjects/CustomField/"+id, nil).decode(t, &cf)
	return cf
}

func TestPatchCustomFieldDeactivatesOmittedValues(t *testing.T) {
	sb := open(t)
	id := fieldID(t, sb, "Lead", "Region__c")
	cf := getCustomField(t, sb, id)
	if cf.FullName != "Lead.Region__c" || cf.Metadata.Type != sfapi.MetadataPicklist || cf.Metadata.Extra["required"] == nil {
		t.Fatalf("GET: %+v", cf)
	}
	def := cf.Metadata.ValueSet.ValueSetDefinition
	def.Value = []sfapi.CustomValue{{ValueName: "na", Label: "N. America"}, {ValueName: "emea", Label: "EMEA"}}
	a := call(t, sb, http.MethodPatch, api+"/tooling/sobjects/CustomField/"+id, sfapi.MetadataWrite[sfapi.CustomFieldMetadata]{FullName: cf.FullName, Metadata: cf.Metadata})
	if a.status != 204 {
		t.Fatalf("PATCH: HTTP %d %s", a.status, a.body)
	}
	vals, _ := sb.Values("Lead", "Region__c")
	var got []string
	for _, v := range vals {
		s := v.ValueName + "/" + v.Label
		if !v.Active() {
			s += "-"
		}
		got = append(got, s)
	}
	if strings.Join(got, " ") != "na/N. America emea/EMEA apac/APAC- latam/LATAM- it's/It's quoted-" {
		t.Fatalf("values after PATCH: %v", got)
	}
	if n := len(sb.Holders("Lead", "Region__c", "latam")); n != 5 {
		t.Fatalf("records changed: %d on latam", n)
	}
}

// TestToolingNamesValuesValueName: a GET answers each value with
// valueName, as the Tooling API's "CustomValue Metadata" does, never with
// the Metadata API's fullName.
func TestToolingNamesValuesValueName(t *testing.T) {
	sb := open(t)
	for _, path := range []string{
		api + "/tooling/sobjects/CustomField/" + fieldID(t, sb, "Lead", "Region__c"),
		api + "/tooling/sobjects/GlobalValueSet/" + globalID(t, sb, "Segments"),
		api + "/tooling/sobjects/StandardValueSet/" + standardID(t, sb, "LeadSource"),
	} {
		a := call(t, sb, http.MethodGet, path, nil)
		body := string(a.body)
		if a.status != 200 || !strings.Contains(body, `"valueName":`) || strings.Contains(body, `"fullName":`) {
			t.Errorf("GET %s: HTTP %d %s", path, a.status, body)
		}
	}
}

func TestToolingWriteErrors(t *testing.T) {
	sb := open(t)
	region := getCustomField(t, sb, fieldID(t, sb, "Lead", "Region__c"))
	segment := getCustomField(t, sb, fieldID(t, sb, "Lead", "Segment__c"))
	cfPath := func(cf sfapi.CustomField) string { return api + "/tooling/sobjects/CustomField/" + cf.ID }
	with := func(cf sfapi.CustomField, edit func(*sfapi.MetadataWrite[sfapi.CustomFieldMetadata])) sfapi.MetadataWrite[sfapi.CustomFieldMetadata] {
		w := sfapi.MetadataWrite[sfapi.CustomFieldMetadata]{FullName: cf.FullName, Metadata: cf.Metadata}
		vs := *w.Metadata.ValueSet
		if vs.ValueSetDefinition != nil {
			d := *vs.ValueSetDefinition
			vs.ValueSetDefinition = &d
		}
		w.Metadata.ValueSet = &vs
		edit(&w)
		return w
	}
	cases := map[string]struct {
		path string
		body any
		code string
	}{
		"duplicate value": {cfPath(region), with(region, func(w *sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) {
			w.Metadata.ValueSet.ValueSetDefinition.Value = []sfapi.CustomValue{{ValueName: "na", Label: "NA"}, {ValueName: "NA", Label: "NA"}}
		}), sfapi.CodeDuplicateValue},
		"two defaults": {cfPath(region), with(region, func(w *sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) {
			w.Metadata.ValueSet.ValueSetDefinition.Value = []sfapi.CustomValue{{ValueName: "na", Label: "NA", Default: true}, {ValueName: "emea", Label: "E", Default: true}}
		}), sfapi.CodeFieldIntegrity},
		"inactive default": {cfPath(region), with(region, func(w *sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) {
			w.Metadata.ValueSet.ValueSetDefinition.Value = []sfapi.CustomValue{{ValueName: "na", Label: "NA", Default: true, IsActive: new(false)}}
		}), sfapi.CodeFieldIntegrity},
		"rename": {cfPath(region), with(region, func(w *sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) { w.FullName = "Lead.Area__c" }), sfapi.CodeFieldIntegrity},
		"retype": {cfPath(region), with(region, func(w *sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) { w.Metadata.Type = "Text" }), sfapi.CodeFieldIntegrity},
		"values on a global-bound field": {cfPath(segment), with(segment, func(w *sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) {
			w.Metadata.ValueSet.ValueSetDefinition = &sfapi.ValueSetDefinition{Value: []sfapi.CustomValue{{ValueName: "x", Label: "x"}}}
		}), sfapi.CodeFieldIntegrity},
		"unknown member": {cfPath(region), []byte(`{"FullName":"Lead.Region__c","Metadata":{},"Id":"x"}`), sfapi.CodeJSONParser},
		// fullName is the Metadata API's XML name of a value; the Tooling
		// API knows only valueName.
		"value named fullName": {cfPath(region), []byte(`{"FullName":"Lead.Region__c","Metadata":{"label":"Region","type":"Picklist",` +
			`"valueSet":{"valueSetDefinition":{"sorted":false,"value":[{"fullName":"na","label":"NA"}]}}}}`), sfapi.CodeJSONParser},
		"empty standard set": {api + "/tooling/sobjects/StandardValueSet/" + standardID(t, sb, "LeadSource"),
			sfapi.MetadataWrite[sfapi.StandardValueSetMetadata]{FullName: "LeadSource"}, sfapi.CodeFieldIntegrity},
		"global over 1000": {api + "/tooling/sobjects/GlobalValueSet/" + globalID(t, sb, "Segments"),
			sfapi.MetadataWrite[sfapi.GlobalValueSetMetadata]{FullName: "Segments", Metadata: sfapi.GlobalValueSetMetadata{MasterLabel: "Segments", CustomValue: manyValues(1000)}}, sfapi.CodeFieldIntegrity},
	}
	before := sb.State()
	for name, tc := range cases {
		a := call(t, sb, http.MethodPatch, tc.path, tc.body)
		if a.status != 400 || a.errs(t)[0].ErrorCode != tc.code {
			t.Errorf("%s: HTTP %d %s, want 400 %s", name, a.status, a.body, tc.code)
		}
	}
	if a := call(t, sb, http.MethodPatch, api+"/tooling/sobjects/CustomField/00N000000000000AAA", with(region, func(*sfapi.MetadataWrite[sfapi.CustomFieldMetadata]) {})); a.status != 404 {
		t.Errorf("unknown id: HTTP %d", a.status)
	}
	if after := sb.State(); len(after.Objects["Lead"].Fields) != len(before.Objects["Lead"].Fields) {
		t.Fatal("a refused write changed the state")
	}
}

func manyValues(n int) []sfapi.CustomValue {
	out := make([]sfapi.CustomValue, n)
	for i := range out {
		out[i] = sfapi.CustomValue{ValueName: fmt.Sprintf("v%d", i), Label: "V"}
	}
	return out
}

func standardID(t *testing.T, h http.Handler, name string) string {
	t.Helper()
	var p page
	toolingQuery(t, h, "SELECT Id, MasterLabel FROM StandardValueSet WHERE MasterLabel = '"+name+"'").decode(t, &p)
	return p.Records[0]["Id"].(string)
}

func globalID(t *testing.T, h http.Handler, name string) string {
	t.Helper()
	var p page
	toolingQuery(t, h, "SELECT Id, DeveloperName, NamespacePrefix FROM GlobalValueSet WHERE DeveloperName = '"+name+"'").decode(t, &p)
	return p.Records[0]["Id"].(string)
}

func TestStandardValueSetKeepsUnknownMembers(t *testing.T) {
	sb := open(t)
	id := standardID(t, sb, "LeadStatus")
	var svs sfapi.StandardValueSet
	call(t, sb, http.MethodGet, api+"/tooling/sobjects/StandardValueSet/"+id, nil).decode(t, &svs)
	vals := svs.Metadata.StandardValue
	vals = append(vals[:3:3], sfapi.CustomValue{ValueName: "mql", Label: "MQL"}, vals[3])
	a := call(t, sb, http.MethodPatch, api+"/tooling/sobjects/StandardValueSet/"+id,
		sfapi.MetadataWrite[sfapi.StandardValueSetMetadata]{FullName: "LeadStatus", Metadata: sfapi.StandardValueSetMetadata{StandardValue: vals}})
	if a.status != 204 {
		t.Fatalf("HTTP %d %s", a.status, a.body)
	}
	got, _ := sb.Values("Lead", "Status")
	if got[3].ValueName != "mql" || string(got[4].Extra["converted"]) != "true" {
		t.Fatalf("values %+v", got)
	}
}

func TestCreateCustomField(t *testing.T) {
	sb := open(t)
	body := sfapi.MetadataWrite[sfapi.CustomFieldMetadata]{FullName: "Lead.Persona__c", Metadata: sfapi.CustomFieldMetadata{
		Label: "Persona", Type: sfapi.MetadataPicklist,
		ValueSet: &sfapi.ValueSet{Restricted: new(true), ValueSetDefinition: &sfapi.ValueSetDefinition{Value: []sfapi.CustomValue{{ValueName: "buyer", Label: "Buyer"}}}},
	}}
	a := call(t, sb, http.MethodPost, api+"/tooling/sobjects/CustomField", body)
	var res sfapi.SaveResult
	a.decode(t, &res)
	if a.status != 201 || !res.Success || !strings.HasPrefix(res.ID, "00N") {
		t.Fatalf("HTTP %d %s", a.status, a.body)
	}
	if a := call(t, sb, http.MethodPost, api+"/tooling/sobjects/CustomField", body); a.status != 400 || a.errs(t)[0].ErrorCode != sfapi.CodeDuplicateDeveloperName {
		t.Fatalf("again: HTTP %d %s", a.status, a.body)
	}
	body.FullName = "Lead.Persona"
	if a := call(t, sb, http.MethodPost, api+"/tooling/sobjects/CustomField", body); a.status != 400 {
		t.Fatalf("standard name: HTTP %d %s", a.status, a.body)
	}
	if a := call(t, sb, http.MethodPost, api+"/tooling/sobjects/GlobalValueSet", body); a.status != 405 {
		t.Fatalf("POST GlobalValueSet: HTTP %d", a.status)
	}
}
