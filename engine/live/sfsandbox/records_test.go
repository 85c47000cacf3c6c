package sfsandbox_test

import (
	"net/http"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
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
