package salesforce_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
)

func TestReadMapsEveryBacking(t *testing.T) {
	e := newEnv(t, nil)
	cases := []struct {
		b                      live.Binding
		want                   string
		providerDefined, multi bool
		typ                    string
	}{
		{bind("Lead", "Region__c"), "emea(EMEA) na(North America) apac(APAC) latam(LATAM) it's(It's quoted)", false, false, "picklist"},
		{bind("Lead", "Segment__c"), "Enterprise(Enterprise) Mid-Market(Mid-Market) SMB(SMB) Startup(Startup)-", false, false, "picklist"},
		{bind("Lead", "LeadSource"), "Web(Web) Phone Inquiry(Phone Inquiry) Partner Referral(Partner Referral) Trade Show(Trade Show) Other(Other)", true, false, "picklist"},
		{bind("Lead", "Status"), "open(Open) working(Working) nurture(Nurture) converted(Converted)", true, false, "picklist"},
		{bind("Lead", "Interests__c"), "crm(CRM) automation(Automation) analytics(Analytics)", false, true, "multipicklist"},
		{bind("Account", "acme__Tier__c"), "gold(Gold) silver(Silver)", false, false, "picklist"},
		{bind("Event_Attendance__c", "Outcome__c"), "attended(Attended) no_show(No Show)", false, false, "picklist"},
		{bind("Lead", "Email"), "", true, false, "email"},
	}
	for _, tc := range cases {
		t.Run(tc.b.String(), func(t *testing.T) {
			p := readOne(t, e.client, tc.b)
			if got := values(p.Options); got != tc.want {
				t.Errorf("options:\n got %s\nwant %s", got, tc.want)
			}
			for i, o := range p.Options {
				if o.DisplayOrder != i {
					t.Errorf("option %s has display order %d, want its position %d", o.Value, o.DisplayOrder, i)
				}
			}
			if p.ProviderDefined != tc.providerDefined || p.ReadOnlyDefinition != tc.providerDefined || p.ReadOnlyOptions {
				t.Errorf("flags: provider-defined %v, read-only definition %v, read-only options %v", p.ProviderDefined, p.ReadOnlyDefinition, p.ReadOnlyOptions)
			}
			if p.MultiValued != tc.multi || p.Type != tc.typ || p.Fingerprint == "" {
				t.Errorf("multi %v type %q fingerprint %q", p.MultiValued, p.Type, p.Fingerprint)
			}
		})
	}
}

func TestReadCachesToolingIds(t *testing.T) {
	e := newEnv(t, nil)
	bs := []live.Binding{bind("Lead", "Region__c"), bind("Lead", "Segment__c"), bind("Lead", "LeadSource")}
	first, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: bs})
	if err != nil {
		t.Fatal(err)
	}
	// Region: 1 query + 1 GET; Segment: 2 queries + 2 GETs; LeadSource: 1 query + 1 GET.
	if q, g := e.tr.count("GET", api+"/tooling/query"), e.tr.total("GET "+api+"/tooling/sobjects/"); q != 4 || g != 4 {
		t.Fatalf("first read: %d Tooling queries and %d GETs, want 4 and 4", q, g)
	}
	e.tr.reset()
	second, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: bs})
	if err != nil {
		t.Fatal(err)
	}
	if q, g, d := e.tr.count("GET", api+"/tooling/query"), e.tr.total("GET "+api+"/tooling/sobjects/"), e.tr.count("GET", api+"/sobjects/Lead/describe"); q != 0 || g != 3 || d != 1 {
		t.Fatalf("second read: %d queries, %d GETs, %d describes; want 0, 3 and 1", q, g, d)
	}
	for _, b := range bs {
		if first.Properties[b].Fingerprint != second.Properties[b].Fingerprint {
			t.Errorf("%s: fingerprint changed between two reads of the same state", b)
		}
	}
}

func TestReadUnmappedStandardPicklistFailsClearly(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{bind("Lead", "Grade")}})
	if !errors.Is(err, live.ErrUnsupported) || !strings.Contains(err.Error(), "Lead.Grade is a standard picklist whose StandardValueSet mops does not know") ||
		!strings.Contains(err.Error(), "Lead.LeadSource") {
		t.Fatalf("want an unsupported error naming the field and the known ones, got %v", err)
	}
}

func TestReadRefusesForeignAndInvalidBindings(t *testing.T) {
	e := newEnv(t, nil)
	for _, b := range []live.Binding{
		{System: "other", Object: "Lead", Property: "LeadSource"},
		{System: system, Object: "Lead", Property: "Lead Source"},
		{System: system, Object: "Lead' OR Id != '", Property: "LeadSource"},
	} {
		if _, err := e.client.Read(context.Background(), live.ReadRequest{Bindings: []live.Binding{b}}); err == nil {
			t.Errorf("%s: want an error", b)
		}
	}
	if n := e.tr.total(""); n != 0 {
		t.Fatalf("%d requests sent for invalid bindings", n)
	}
}
