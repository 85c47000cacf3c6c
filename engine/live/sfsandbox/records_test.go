package sfsandbox_test

import (
	"net/http"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

func update(records ...sfapi.RecordUpdate) sfapi.CollectionUpdate {
	return sfapi.CollectionUpdate{Records: records}
}

func rec(id string, fields map[string]*string) sfapi.RecordUpdate {
	return sfapi.RecordUpdate{Type: "Lead", ID: id, Fields: fields}
}

func TestCollectionUpdatePerRecord(t *testing.T) {
	sb := open(t)
	a := call(t, sb, http.MethodPatch, api+"/composite/sobjects", update(
		rec("00Q000000000001AAA", map[string]*string{"Region__c": new("na"), "LeadSource": nil}),
		rec("bad-id", map[string]*string{"Region__c": new("na")}),
		rec("00Q999999999999AAA", map[string]*string{"Region__c": new("na")}),
		rec("00Q000000000002AAA", map[string]*string{"Nope__c": new("x")}),
		rec("00Q000000000003AAA", map[string]*string{"Score_Band__c": new("b")}),
		rec("00Q000000000004AAA", map[string]*string{"Interests__c": new("crm;mars")}),
		rec("00Q000000000005AAA", map[string]*string{"Region__c": new("anything goes")}),
	))
	var res []sfapi.RecordResult
	a.decode(t, &res)
	want := []string{"", sfapi.CodeMalformedID, sfapi.CodeInvalidCrossReference, sfapi.CodeInvalidField, sfapi.CodeFieldNotUpdateable, sfapi.CodeRestrictedPicklist, ""}
	if a.status != 200 || len(res) != len(want) {
		t.Fatalf("HTTP %d %s", a.status, a.body)
	}
	for i, w := range want {
		switch {
		case w == "" && (!res[i].Success || res[i].ID == ""):
			t.Errorf("record %d: %+v, want success", i, res[i])
		case w != "" && (res[i].Success || res[i].Errors[0].StatusCode != w):
			t.Errorf("record %d: %+v, want %s", i, res[i], w)
		}
	}
	if v, _ := sb.RecordValue("Lead", "00Q000000000001AAA", "Region__c"); v != "na" {
		t.Errorf("record 1 region %q", v)
	}
	if v, _ := sb.RecordValue("Lead", "00Q000000000001AAA", "LeadSource"); v != "" {
		t.Errorf("record 1 lead source %q, want cleared", v)
	}
	if v, _ := sb.RecordValue("Lead", "00Q000000000005AAA", "Region__c"); v != "anything goes" {
		t.Errorf("an unrestricted picklist takes any value; got %q", v)
	}
}

func TestCollectionUpdateAllOrNoneAndLimits(t *testing.T) {
	sb := open(t)
	body := update(rec("00Q000000000001AAA", map[string]*string{"Region__c": new("na")}), rec("00Q000000000002AAA", map[string]*string{"Nope__c": nil}))
	body.AllOrNone = true
	var res []sfapi.RecordResult
	call(t, sb, http.MethodPatch, api+"/composite/sobjects", body).decode(t, &res)
	if res[0].Success || res[0].Errors[0].StatusCode != sfapi.CodeRolledBack {
		t.Fatalf("allOrNone: %+v", res)
	}
	if v, _ := sb.RecordValue("Lead", "00Q000000000001AAA", "Region__c"); v != "latam" {
		t.Fatalf("rolled-back record written: %q", v)
	}
	many := make([]sfapi.RecordUpdate, 201)
	for i := range many {
		many[i] = rec("00Q000000000001AAA", map[string]*string{"Region__c": new("na")})
	}
	if a := call(t, sb, http.MethodPatch, api+"/composite/sobjects", update(many...)); a.status != 400 || a.errs(t)[0].ErrorCode != sfapi.CodeExceededIDLimit {
		t.Fatalf("201 records: HTTP %d %s", a.status, a.body)
	}
}

// TestTenantRulesRefuseRecords: a converted lead refuses updates unless the
// user has View and Edit Converted Leads, a private record refuses a user
// without View All Data (and queries do not see it), and a validation rule
// refuses the records it matches; the others of the call are written.
func TestTenantRulesRefuseRecords(t *testing.T) {
	st := sb0(t)
	lead := st.Objects["Lead"].Records
	lead[0].Fields["IsConverted"] = "true"
	lead[1].Private = true
	st.User = &sfsandbox.User{Withheld: []string{"ViewAllData", "ViewEditConvertedLeads"}}
	st.ValidationRules = []*sfsandbox.ValidationRule{{Name: "Emea", Object: "Lead", Field: "LeadSource",
		When: map[string]string{"Region__c": "EMEA"}, Message: "kept by the EMEA team"}}
	sb, err := sfsandbox.FromState(st)
	if err != nil {
		t.Fatal(err)
	}
	src := map[string]*string{"LeadSource": new("Event")}
	var res []sfapi.RecordResult
	call(t, sb, http.MethodPatch, api+"/composite/sobjects", update(
		rec("00Q000000000001AAA", src), rec("00Q000000000002AAA", src), rec("00Q000000000006AAA", src),
		rec("00Q000000000003AAA", src), rec("00Q000000000006AAA", map[string]*string{"Status": new("open")}),
	)).decode(t, &res)
	want := []string{sfapi.CodeConvertedLead, sfapi.CodeInsufficientAccess, sfapi.CodeCustomValidation, "", ""}
	for i, w := range want {
		switch {
		case w == "" && !res[i].Success:
			t.Errorf("record %d: %+v, want success", i, res[i])
		case w != "" && (res[i].Success || res[i].Errors[0].StatusCode != w):
			t.Errorf("record %d: %+v, want %s", i, res[i], w)
		}
	}
	if m := res[2].Errors[0]; m.Message != "kept by the EMEA team" || len(m.Fields) != 1 || m.Fields[0] != "LeadSource" {
		t.Errorf("validation rule error %+v", m)
	}
	var p page
	query(t, sb, "SELECT COUNT() FROM Lead WHERE LeadSource = 'Trade Show' AND IsConverted = false").decode(t, &p)
	if p.TotalSize != 4 { // 7, less the converted, the private one and the one moved
		t.Errorf("unconverted, visible Trade Show leads: %d, want 4", p.TotalSize)
	}
	query(t, sb, "SELECT PermissionsViewAllData, PermissionsViewEditConvertedLeads FROM UserPermissionAccess").decode(t, &p)
	if len(p.Records) != 1 || p.Records[0]["PermissionsViewAllData"] != false || p.Records[0]["PermissionsViewEditConvertedLeads"] != false {
		t.Errorf("UserPermissionAccess: %+v", p.Records)
	}
	for soql, code := range map[string]string{
		"SELECT Id FROM Lead WHERE IsConverted = 'false'": sfapi.CodeMalformedQuery,
	} {
		if a := query(t, sb, soql); a.status != 400 || a.errs(t)[0].ErrorCode != code {
			t.Errorf("%q: HTTP %d %s, want %s", soql, a.status, a.body, code)
		}
	}
}

// sb0 is the test seed as a state to edit.
func sb0(t *testing.T) *sfsandbox.State {
	t.Helper()
	return open(t).State()
}
