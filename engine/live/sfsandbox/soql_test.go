package sfsandbox_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/mops-dev/mops/engine/live/salesforce/sfapi"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

func TestQueryShapes(t *testing.T) {
	sb := open(t)
	var p page
	query(t, sb, "SELECT LeadSource, COUNT(Id) FROM Lead GROUP BY LeadSource").decode(t, &p)
	got := map[string]float64{}
	for _, r := range p.Records {
		v, _ := r["LeadSource"].(string)
		got[v] = r[sfapi.CountAlias].(float64)
		if r["attributes"].(map[string]any)["type"] != "AggregateResult" {
			t.Errorf("aggregate row %v", r)
		}
	}
	if got["Trade Show"] != 7 || got["Web"] != 4 || got["Partner Referral"] != 2 || got["Other"] != 1 || !p.Done {
		t.Fatalf("group counts %v", got)
	}

	query(t, sb, "select count() from Lead where Interests__c includes ('crm', 'analytics')").decode(t, &p)
	if p.TotalSize != 3 || len(p.Records) != 0 {
		t.Fatalf("COUNT() INCLUDES: %+v", p)
	}
	query(t, sb, `SELECT Id FROM Lead WHERE Region__c = 'it\'s'`).decode(t, &p)
	if p.TotalSize != 1 || p.Records[0]["Id"] != "00Q000000000014AAA" {
		t.Fatalf("escaped literal: %+v", p)
	}
	query(t, sb, "SELECT Id, Interests__c FROM Lead WHERE Interests__c INCLUDES ('automation') AND Region__c = 'emea'").decode(t, &p)
	if p.TotalSize != 2 || p.Records[0]["Interests__c"] != "crm;automation" {
		t.Fatalf("INCLUDES with =: %+v", p)
	}
}

// TestQueryComparesIgnoringCase: = , IN, INCLUDES and GROUP BY compare
// values without regard to case, as SOQL does for every field but unique
// case-sensitive ones.
func TestQueryComparesIgnoringCase(t *testing.T) {
	st := sfsandbox.State{Objects: map[string]*sfsandbox.Object{"Lead": {
		Fields: []*sfsandbox.Field{{Name: "Src__c", Type: "picklist"}, {Name: "Tags__c", Type: "multipicklist"}},
		Records: []*sfsandbox.Record{
			{ID: "00Q000000000001AAA", Fields: map[string]string{"Src__c": "web", "Tags__c": "A;b"}},
			{ID: "00Q000000000002AAA", Fields: map[string]string{"Src__c": "Web"}},
			{ID: "00Q000000000003AAA", Fields: map[string]string{"Src__c": "WEB"}},
			{ID: "00Q000000000004AAA", Fields: map[string]string{}},
		},
	}}}
	sb, err := sfsandbox.FromState(&st)
	if err != nil {
		t.Fatal(err)
	}
	for soql, want := range map[string]int{
		"SELECT COUNT() FROM Lead WHERE Src__c = 'Web'":               3,
		"SELECT COUNT() FROM Lead WHERE Src__c IN ('wEb', 'x')":       3,
		"SELECT COUNT() FROM Lead WHERE Src__c = null":                1,
		"SELECT COUNT() FROM Lead WHERE Tags__c INCLUDES ('a')":       1,
		"SELECT COUNT() FROM Lead WHERE Tags__c INCLUDES ('B')":       1,
		"SELECT Id FROM Lead WHERE Src__c = 'web' AND Src__c = 'WEB'": 3,
	} {
		var p page
		query(t, sb, soql).decode(t, &p)
		if p.TotalSize != want {
			t.Errorf("%q: %d, want %d", soql, p.TotalSize, want)
		}
	}
	var p page
	query(t, sb, "SELECT Src__c, COUNT(Id) FROM Lead WHERE Src__c IN ('WEB') GROUP BY Src__c").decode(t, &p)
	if len(p.Records) != 1 || p.Records[0]["Src__c"] != "web" || p.Records[0][sfapi.CountAlias] != float64(3) {
		t.Fatalf("one group named as the first record has it: %+v", p.Records)
	}
	if ids := sb.Holders("Lead", "Src__c", "wEb"); len(ids) != 3 {
		t.Fatalf("Holders: %v", ids)
	}
}

// TestAggregateAnswersAreNotPaged: a GROUP BY answer comes in one batch
// whatever the page size, and one over 2,000 groups is refused, since
// Salesforce cannot continue it with queryMore.
func TestAggregateAnswersAreNotPaged(t *testing.T) {
	sb := open(t, sfsandbox.WithPageSize(2))
	var p page
	query(t, sb, "SELECT LeadSource, COUNT(Id) FROM Lead GROUP BY LeadSource").decode(t, &p)
	if len(p.Records) != 4 || !p.Done || p.NextRecordsURL != "" {
		t.Fatalf("aggregate answer: %+v", p)
	}
	lead := &sfsandbox.Object{Fields: []*sfsandbox.Field{{Name: "Src__c", Type: "picklist"}}}
	for i := range sfapi.MaxQueryBatch + 1 {
		lead.Records = append(lead.Records, &sfsandbox.Record{ID: fmt.Sprintf("00Q%012dAAA", i), Fields: map[string]string{"Src__c": fmt.Sprintf("v%d", i)}})
	}
	many, err := sfsandbox.FromState(&sfsandbox.State{Objects: map[string]*sfsandbox.Object{"Lead": lead}})
	if err != nil {
		t.Fatal(err)
	}
	a := query(t, many, "SELECT Src__c, COUNT(Id) FROM Lead GROUP BY Src__c")
	if a.status != 400 || a.errs(t)[0].ErrorCode != sfapi.CodeMalformedQuery {
		t.Fatalf("2,001 groups: HTTP %d %s", a.status, a.body)
	}
	p = page{}
	query(t, many, "SELECT Src__c, COUNT(Id) FROM Lead WHERE Src__c IN ('v1', 'v2') GROUP BY Src__c").decode(t, &p)
	if len(p.Records) != 2 {
		t.Fatalf("bounded by IN: %+v", p)
	}
}

func TestQueryErrors(t *testing.T) {
	sb := open(t)
	for soql, code := range map[string]string{
		"":                                sfapi.CodeMalformedQuery,
		"SELECT Id FROM Lead ORDER BY Id": sfapi.CodeMalformedQuery,
		"SELECT Id FROM Lead WHERE A = 'x' OR B = 'y'":                   sfapi.CodeMalformedQuery,
		"SELECT Id FROM Lead LIMIT 5":                                    sfapi.CodeMalformedQuery,
		"SELECT Id FROM Lead WHERE Region__c = 'unterminated":            sfapi.CodeMalformedQuery,
		"SELECT COUNT(Id) FROM Lead":                                     sfapi.CodeMalformedQuery,
		"SELECT Nope FROM Lead":                                          sfapi.CodeInvalidField,
		"SELECT Id FROM Spaceship__c":                                    sfapi.CodeInvalidType,
		"SELECT Interests__c, COUNT(Id) FROM Lead GROUP BY Interests__c": sfapi.CodeInvalidField,
		"SELECT Id FROM Lead WHERE Region__c INCLUDES ('na')":            sfapi.CodeInvalidField,
		"SELECT Id FROM Lead WHERE Region__c = true":                     sfapi.CodeMalformedQuery,
		"SELECT Id FROM Lead WHERE Region__c IN ()":                      sfapi.CodeMalformedQuery,
	} {
		a := query(t, sb, soql)
		if a.status != 400 || a.errs(t)[0].ErrorCode != code {
			t.Errorf("%q: HTTP %d %s, want 400 %s", soql, a.status, a.body, code)
		}
	}
}

func TestQueryPaging(t *testing.T) {
	sb := open(t, sfsandbox.WithPageSize(4))
	var p page
	query(t, sb, "SELECT Id FROM Lead").decode(t, &p)
	var ids []string
	pages, first := 1, ""
	for {
		for _, r := range p.Records {
			ids = append(ids, r["Id"].(string))
		}
		if p.Done {
			break
		}
		if p.TotalSize != 14 || len(p.Records) != 4 {
			t.Fatalf("page %d: %+v", pages, p)
		}
		next := p.NextRecordsURL
		first = cmpOr(first, next)
		p = page{}
		call(t, sb, http.MethodGet, next, nil).decode(t, &p)
		pages++
	}
	if len(ids) != 14 || pages != 4 || !slices.IsSorted(ids) {
		t.Fatalf("%d ids over %d pages: %v", len(ids), pages, ids)
	}
	for _, bad := range []string{api + "/query/01gnope-4", api + "/query/x", api + "/tooling/query/" + first[len(api+"/query/"):]} {
		a := call(t, sb, http.MethodGet, bad, nil)
		if a.status != 400 || a.errs(t)[0].ErrorCode != sfapi.CodeInvalidQueryLocator {
			t.Errorf("%s: HTTP %d %s", bad, a.status, a.body)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestToolingQueries(t *testing.T) {
	sb := open(t)
	cases := map[string]string{
		"SELECT Id, DeveloperName, NamespacePrefix, TableEnumOrId FROM CustomField WHERE TableEnumOrId = 'Lead' AND DeveloperName = 'Region'": fieldID(t, sb, "Lead", "Region__c"),
		"SELECT Id, DeveloperName, NamespacePrefix FROM GlobalValueSet WHERE DeveloperName = 'Segments'":                                      "",
		"SELECT Id, MasterLabel FROM StandardValueSet WHERE MasterLabel = 'LeadSource'":                                                       "",
		"SELECT Id, DeveloperName, NamespacePrefix FROM CustomObject WHERE DeveloperName = 'Event_Attendance'":                                "",
	}
	for soql, wantID := range cases {
		var p page
		toolingQuery(t, sb, soql).decode(t, &p)
		if p.TotalSize != 1 || (wantID != "" && p.Records[0]["Id"] != wantID) {
			t.Errorf("%q: %+v", soql, p)
		}
	}
	var p page
	toolingQuery(t, sb, "SELECT Id, DeveloperName, NamespacePrefix FROM CustomField WHERE DeveloperName = 'Tier'").decode(t, &p)
	if p.TotalSize != 1 || p.Records[0]["NamespacePrefix"] != "acme" {
		t.Errorf("namespaced field: %+v", p)
	}
	for soql, code := range map[string]string{
		"SELECT Id, Metadata FROM CustomField WHERE DeveloperName = 'Region'": sfapi.CodeInvalidField,
		"SELECT Id FROM ApexClass":        sfapi.CodeInvalidType,
		"SELECT COUNT() FROM CustomField": sfapi.CodeMalformedQuery,
	} {
		a := toolingQuery(t, sb, soql)
		if a.status != 400 || a.errs(t)[0].ErrorCode != code {
			t.Errorf("%q: HTTP %d %s, want %s", soql, a.status, a.body, code)
		}
	}
}
