package sfsandbox_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

func TestAuthentication(t *testing.T) {
	sb := open(t, sfsandbox.WithToken(token))
	for name, hdr := range map[string]string{"none": "", "empty": "Bearer ", "wrong": "Bearer not-the-token", "basic": "Basic abc"} {
		req := httptest.NewRequest(http.MethodGet, api+"/sobjects/Lead/describe", nil)
		if hdr != "" {
			req.Header.Set("Authorization", hdr)
		}
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, req)
		a := answer{rec.Code, rec.Header(), rec.Body.Bytes()}
		if a.status != 401 || a.errs(t)[0].ErrorCode != sfapi.CodeInvalidSession || strings.Contains(string(a.body), "not-the-token") {
			t.Errorf("%s: HTTP %d %s", name, a.status, a.body)
		}
	}
	if a := call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil); a.status != 200 {
		t.Fatalf("right token: HTTP %d", a.status)
	}
}

func TestEveryAnswerCarriesLimitInfo(t *testing.T) {
	sb := open(t, sfsandbox.WithAPIUsage(10, 12))
	for i, want := range []struct {
		status int
		info   string
	}{{200, "api-usage=11/12"}, {404, "api-usage=12/12"}, {403, "api-usage=12/12"}} {
		path := api + "/limits"
		if i == 1 {
			path = api + "/nope"
		}
		a := call(t, sb, http.MethodGet, path, nil)
		if a.status != want.status || a.header.Get(sfapi.HeaderLimitInfo) != want.info {
			t.Errorf("call %d: HTTP %d %q, want %d %q", i, a.status, a.header.Get(sfapi.HeaderLimitInfo), want.status, want.info)
		}
	}
	a := call(t, sb, http.MethodGet, api+"/limits", nil)
	if e := a.errs(t)[0]; e.ErrorCode != sfapi.CodeRequestLimit || !strings.HasPrefix(e.Message, sfapi.DailyLimitMessage) {
		t.Fatalf("over the allocation: %+v", e)
	}
	sb.SetUsage(5, 12)
	var limits map[string]sfapi.Limit
	call(t, sb, http.MethodGet, api+"/limits", nil).decode(t, &limits)
	if l := limits[sfapi.LimitDailyAPIRequests]; l.Max != 12 || l.Remaining != 6 {
		t.Fatalf("limits %+v", limits)
	}
}

func TestUnknownRoutesAndVersions(t *testing.T) {
	sb := open(t)
	for _, path := range []string{"/services/data/v62.0/sobjects/Lead", "/services/data/62.0/limits", "/services/data/vX/limits", "/crm/v3/properties/contacts", api + "/sobjects/Spaceship__c/describe"} {
		a := call(t, sb, http.MethodGet, path, nil)
		if a.status != 404 || a.errs(t)[0].ErrorCode != sfapi.CodeNotFound {
			t.Errorf("%s: HTTP %d %s", path, a.status, a.body)
		}
	}
}

func TestDescribe(t *testing.T) {
	sb := open(t)
	var d sfapi.SObjectDescribe
	call(t, sb, http.MethodGet, api+"/sobjects/Lead/describe", nil).decode(t, &d)
	if d.Name != "Lead" || d.Fields[0].Name != "Id" || d.Fields[0].Updateable {
		t.Fatalf("describe %s, first field %+v", d.Name, d.Fields[0])
	}
	for name, want := range map[string]struct {
		typ              string
		custom, restrict bool
		values           string
	}{
		"Region__c":    {"picklist", true, false, "emea na apac latam it's"},
		"Segment__c":   {"picklist", true, true, "Enterprise Mid-Market SMB"}, // Startup is inactive
		"LeadSource":   {"picklist", false, false, "Web Phone Inquiry Partner Referral Trade Show Other"},
		"Interests__c": {"multipicklist", true, true, "crm automation analytics"},
		"Email":        {"email", false, false, ""},
	} {
		f, ok := d.Field(name)
		if !ok {
			t.Fatalf("no field %s", name)
		}
		var vals []string
		for _, v := range f.PicklistValues {
			vals = append(vals, v.Value)
		}
		if f.Type != want.typ || f.Custom != want.custom || f.RestrictedPicklist != want.restrict || strings.Join(vals, " ") != want.values {
			t.Errorf("%s: %+v", name, f)
		}
	}
	if f, _ := d.Field("Score_Band__c"); f.Updateable {
		t.Errorf("read-only field is updateable")
	}
}
