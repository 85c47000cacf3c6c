package sandbox

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
)

func TestAuthentication(t *testing.T) {
	sb := memSandbox(t)
	a := callAs(t, sb, "", "GET", "/crm/v3/properties/contacts", "")
	wantStatus(t, a, 401)
	if e := a.apiError(t); e.Category != hsapi.CategoryUnauthorized {
		t.Fatalf("category %q", e.Category)
	}
	wantStatus(t, callAs(t, sb, "anything", "GET", "/crm/v3/properties/contacts", ""), 200)

	strict := memSandbox(t, WithToken("right"))
	a = callAs(t, strict, "wrong-token-value", "GET", "/crm/v3/properties/contacts", "")
	wantStatus(t, a, 401)
	if strings.Contains(string(a.body), "wrong-token-value") {
		t.Fatal("401 body repeats the token")
	}
	wantStatus(t, callAs(t, strict, "right", "GET", "/crm/v3/properties/contacts", ""), 200)
}

func TestPropertyEndpoints(t *testing.T) {
	opt := func(v string, extra string) string {
		return fmt.Sprintf(`{"label":"%s","value":"%s"%s}`, strings.ToUpper(v), v, extra)
	}
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
	}{
		{"list", "GET", "/crm/v3/properties/contacts", "", 200},
		{"list unknown object", "GET", "/crm/v3/properties/spaceships", "", 404},
		{"get", "GET", "/crm/v3/properties/contacts/region", "", 200},
		{"get unknown", "GET", "/crm/v3/properties/contacts/nope", "", 404},
		{"patch duplicate values", "PATCH", "/crm/v3/properties/contacts/region", `{"options":[` + opt("a", `,"hidden":false`) + "," + opt("a", `,"hidden":true`) + `]}`, 400},
		{"patch missing hidden", "PATCH", "/crm/v3/properties/contacts/region", `{"options":[` + opt("a", "") + `]}`, 400},
		{"patch unknown field", "PATCH", "/crm/v3/properties/contacts/region", `{"colour":"red"}`, 400},
		{"patch read-only options", "PATCH", "/crm/v3/properties/contacts/hs_analytics_source", `{"options":[` + opt("a", `,"hidden":false`) + `]}`, 400},
		{"patch read-only definition", "PATCH", "/crm/v3/properties/contacts/lifecyclestage", `{"label":"Stage"}`, 400},
		{"patch lifecycle options", "PATCH", "/crm/v3/properties/contacts/lifecyclestage", `{"options":[` + opt("lead", `,"hidden":false`) + `]}`, 200},
		{"patch unknown property", "PATCH", "/crm/v3/properties/contacts/nope", `{"label":"x"}`, 404},
		{"create", "POST", "/crm/v3/properties/contacts", `{"name":"tier","label":"Tier","type":"enumeration","fieldType":"select","groupName":"contactinformation","options":[` + opt("gold", `,"hidden":false`) + `]}`, 201},
		{"create existing", "POST", "/crm/v3/properties/contacts", `{"name":"region","label":"Region","type":"enumeration","fieldType":"select","groupName":"contactinformation","options":[]}`, 409},
		{"create bad name", "POST", "/crm/v3/properties/contacts", `{"name":"Bad Name","label":"x","type":"string","fieldType":"text","groupName":"g"}`, 400},
		{"no such route", "DELETE", "/crm/v3/properties/contacts/region", "", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := memSandbox(t)
			a := call(t, sb, tc.method, tc.path, tc.body)
			wantStatus(t, a, tc.status)
			if tc.status >= 400 {
				a.apiError(t)
			}
		})
	}
}

func TestPatchReplacesWholeOptionList(t *testing.T) {
	sb := memSandbox(t)
	a := call(t, sb, "PATCH", "/crm/v3/properties/contacts/region", `{"options":[{"label":"EMEA","value":"emea","hidden":true}]}`)
	wantStatus(t, a, 200)
	var p hsapi.Property
	a.decode(t, &p)
	if len(p.Options) != 1 || !p.Options[0].Hidden || p.Options[0].DisplayOrder != -1 {
		t.Fatalf("options = %+v", p.Options)
	}
	// Records keep the removed values: they are now invalid values.
	if v, _ := sb.RecordValues("contacts", "102"); v["region"] != "na" {
		t.Fatalf("removing an option changed records: %v", v)
	}
}

func search(t *testing.T, sb *Sandbox, body string) hsapi.SearchResponse {
	t.Helper()
	a := call(t, sb, "POST", "/crm/v3/objects/contacts/search", body)
	wantStatus(t, a, 200)
	var out hsapi.SearchResponse
	a.decode(t, &out)
	return out
}

func filter(prop, op, value string) string {
	return fmt.Sprintf(`{"propertyName":"%s","operator":"%s","value":"%s"}`, prop, op, value)
}

func query(groups ...string) string {
	return `{"filterGroups":[` + strings.Join(groups, ",") + `],"properties":["lead_source"],"sorts":[],"limit":100,"after":"0"}`
}

func group(filters ...string) string { return `{"filters":[` + strings.Join(filters, ",") + `]}` }

func TestSearchOperators(t *testing.T) {
	sb := memSandbox(t)
	for _, tc := range []struct {
		name string
		body string
		want int
	}{
		{"EQ", query(group(filter("lead_source", "EQ", "trade_show"))), 3},
		{"EQ invalid value still on records", query(group(filter("lead_source", "EQ", "legacy_import"))), 1},
		{"NEQ", query(group(filter("lead_source", "NEQ", "trade_show"))), 9},
		{"IN", query(group(`{"propertyName":"lead_source","operator":"IN","values":["webinar","event"]}`)), 4},
		{"NOT_IN", query(group(`{"propertyName":"lead_source","operator":"NOT_IN","values":["webinar","event"]}`)), 8},
		{"HAS_PROPERTY", query(group(`{"propertyName":"lead_source","operator":"HAS_PROPERTY"}`)), 11},
		{"NOT_HAS_PROPERTY", query(group(`{"propertyName":"lead_source","operator":"NOT_HAS_PROPERTY"}`)), 1},
		{"CONTAINS_TOKEN multi", query(group(filter("interests", "CONTAINS_TOKEN", "crm"))), 3},
		{"NOT_CONTAINS_TOKEN", query(group(filter("interests", "NOT_CONTAINS_TOKEN", "crm"))), 9},
		{"AND in a group", query(group(filter("lead_source", "EQ", "trade_show"), filter("region", "EQ", "emea"))), 1},
		{"OR across groups", query(group(filter("lead_source", "EQ", "trade_show")), group(filter("region", "EQ", "apac"))), 5},
		{"by id", query(group(filter("hs_object_id", "EQ", "105"))), 1},
		{"no filters", query(), 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := search(t, sb, tc.body); got.Total != tc.want || len(got.Results) != tc.want {
				t.Fatalf("total %d (%d results), want %d", got.Total, len(got.Results), tc.want)
			}
		})
	}
}

func TestSearchPagingAndLimits(t *testing.T) {
	sb := memSandbox(t)
	var ids []string
	after := "0"
	pages := 0
	for {
		got := search(t, sb, fmt.Sprintf(`{"filterGroups":[],"properties":["region","lead_source"],"sorts":[{"propertyName":"hs_object_id","direction":"ASCENDING"}],"limit":5,"after":"%s"}`, after))
		pages++
		if got.Total != 12 {
			t.Fatalf("total %d", got.Total)
		}
		for _, r := range got.Results {
			ids = append(ids, r.ID)
			if r.Properties["hs_object_id"] == nil || *r.Properties["hs_object_id"] != r.ID {
				t.Fatalf("hs_object_id missing: %+v", r.Properties)
			}
		}
		if got.Paging == nil {
			break
		}
		after = got.Paging.Next.After
	}
	if pages != 3 || len(ids) != 12 || ids[0] != "101" || ids[11] != "112" {
		t.Fatalf("pages %d, ids %v", pages, ids)
	}
	// A record without a value gets null.
	got := search(t, sb, query(group(filter("hs_object_id", "EQ", "110"))))
	if v, ok := got.Results[0].Properties["lead_source"]; !ok || v != nil {
		t.Fatalf("lead_source of 110 = %v, %v; want null", v, ok)
	}

	for name, body := range map[string]string{
		"limit over 200":     `{"filterGroups":[],"properties":[],"sorts":[],"limit":201,"after":"0"}`,
		"negative limit":     `{"filterGroups":[],"properties":[],"sorts":[],"limit":-1,"after":"0"}`,
		"past 10000":         `{"filterGroups":[],"properties":[],"sorts":[],"limit":10,"after":"10000"}`,
		"bad cursor":         `{"filterGroups":[],"properties":[],"sorts":[],"limit":10,"after":"x"}`,
		"unknown operator":   query(group(`{"propertyName":"lead_source","operator":"BETWEEN","value":"a","highValue":"b"}`)),
		"unknown property":   query(group(filter("nope", "EQ", "x"))),
		"six groups":         query(strings.Repeat(group(filter("region", "EQ", "x"))+",", 5) + group(filter("region", "EQ", "x"))),
		"EQ without value":   query(group(`{"propertyName":"region","operator":"EQ"}`)),
		"free text query":    `{"filterGroups":[],"properties":[],"sorts":[],"limit":10,"after":"0","query":"acme"}`,
		"unknown body field": `{"filterGroups":[],"properties":[],"sorts":[],"limit":10,"after":"0","colour":"red"}`,
		"two sort rules":     `{"filterGroups":[],"properties":[],"sorts":[{"propertyName":"hs_object_id"},{"propertyName":"region"}],"limit":10,"after":"0"}`,
		"sort by nothing":    `{"filterGroups":[],"properties":[],"sorts":[{"propertyName":"nope"}],"limit":10,"after":"0"}`,
		"sort direction":     `{"filterGroups":[],"properties":[],"sorts":[{"propertyName":"region","direction":"UP"}],"limit":10,"after":"0"}`,
	} {
		t.Run(name, func(t *testing.T) {
			a := call(t, sb, "POST", "/crm/v3/objects/contacts/search", body)
			wantStatus(t, a, 400)
			a.apiError(t)
		})
	}
}

func batch(inputs ...string) string { return `{"inputs":[` + strings.Join(inputs, ",") + `]}` }

func input(id, prop, value string) string {
	return fmt.Sprintf(`{"id":"%s","properties":{"%s":"%s"}}`, id, prop, value)
}

func TestBatchUpdate(t *testing.T) {
	sb := memSandbox(t)
	const path = "/crm/v3/objects/contacts/batch/update"

	a := call(t, sb, "POST", path, batch(input("101", "region", "na"), input("102", "region", "mars")))
	wantStatus(t, a, 400)
	if e := a.apiError(t); len(e.Errors) != 1 || !strings.Contains(e.Errors[0].Message, "mars was not one of the allowed options") {
		t.Fatalf("error = %+v", e)
	}
	if v, _ := sb.RecordValues("contacts", "101"); v["region"] != "emea" {
		t.Fatal("a refused batch wrote a record")
	}

	// Hidden options stay valid values.
	wantStatus(t, call(t, sb, "PATCH", "/crm/v3/properties/contacts/region",
		`{"options":[{"label":"EMEA","value":"emea","hidden":false},{"label":"NA","value":"na","hidden":true}]}`), 200)
	a = call(t, sb, "POST", path, batch(input("101", "region", "na"), input("103", "region", "")))
	wantStatus(t, a, 200)
	var resp hsapi.BatchResponse
	a.decode(t, &resp)
	if resp.Status != "COMPLETE" || len(resp.Results) != 2 {
		t.Fatalf("response = %+v", resp)
	}
	if v, _ := sb.RecordValues("contacts", "101"); v["region"] != "na" {
		t.Fatalf("101 = %v", v)
	}
	if v, _ := sb.RecordValues("contacts", "103"); v["region"] != "" {
		t.Fatalf("empty string must clear: %v", v)
	}

	a = call(t, sb, "POST", path, batch(input("104", "region", "emea"), input("999", "region", "emea")))
	wantStatus(t, a, 207)
	a.decode(t, &resp)
	if resp.NumErrors != 1 || len(resp.Results) != 1 || resp.Errors[0].Context["ids"][0] != "999" {
		t.Fatalf("207 = %+v", resp)
	}

	many := make([]string, 101)
	for i := range many {
		many[i] = input(fmt.Sprint(1000+i), "region", "emea")
	}
	for name, body := range map[string]string{
		"empty":                     `{"inputs":[]}`,
		"over 100":                  batch(many...),
		"duplicate ids":             batch(input("101", "region", "emea"), input("101", "region", "na")),
		"unknown property":          batch(input("101", "nope", "x")),
		"read-only value":           batch(input("101", "hs_analytics_source", "OFFLINE")),
		"bad token in multi-select": batch(input("101", "interests", "crm;yoga")),
	} {
		t.Run(name, func(t *testing.T) {
			a := call(t, sb, "POST", path, body)
			wantStatus(t, a, 400)
			a.apiError(t)
		})
	}
	wantStatus(t, call(t, sb, "POST", path, batch(input("101", "interests", "crm;analytics"))), 200)
}

func TestSubscriptionDefinitions(t *testing.T) {
	sb := memSandbox(t)
	a := call(t, sb, "GET", "/communication-preferences/v3/definitions", "")
	wantStatus(t, a, 200)
	var out hsapi.SubscriptionDefinitions
	a.decode(t, &out)
	if len(out.SubscriptionDefinitions) != 5 || out.SubscriptionDefinitions[0].Name != "Marketing Newsletter" {
		t.Fatalf("definitions = %+v", out)
	}
	wantStatus(t, call(t, sb, "POST", "/communication-preferences/v3/definitions", `{}`), 404) // read-only
}
