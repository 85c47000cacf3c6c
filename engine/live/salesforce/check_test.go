package salesforce_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/internal/clienttest"
	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

func find(checks []live.Check, name string) (live.Check, bool) {
	for _, c := range checks {
		if c.Name == name {
			return c, true
		}
	}
	return live.Check{}, false
}

// TestCheckAllPresent: a user with every permission and edit access sees
// every check pass, the user named and the allocation left.
func TestCheckAllPresent(t *testing.T) {
	e := newEnv(t, nil)
	checks, err := e.client.Check(context.Background(), live.CheckRequest{Bindings: []live.Binding{bind("Lead", "Region__c"), bind("Lead", "LeadSource")}})
	if err != nil {
		t.Fatal(err)
	}
	want := `auth access token: ok
permission API Enabled: ok
permission View Setup and Configuration: ok
permission View All Data: ok
permission Modify Metadata Through Metadata API Functions: ok
field Lead.Region__c: ok
field Lead.LeadSource: ok
limit DailyApiRequests: ok`
	if got := clienttest.Checks(checks); got != want {
		t.Fatalf("checks:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(checks[0].Detail, "mops@sandbox.example") {
		t.Errorf("auth detail %q does not name the user", checks[0].Detail)
	}
}

// TestCheckEachMissingPermission: withholding each permission the
// emulator can withhold makes exactly that check fail, with a fix.
func TestCheckEachMissingPermission(t *testing.T) {
	cases := []struct {
		withheld []string
		missing  string
	}{
		{[]string{"ApiEnabled"}, "API Enabled"},
		{[]string{"ViewSetup"}, "View Setup and Configuration"},
		{[]string{"ViewAllData"}, "View All Data"},
		{[]string{"ModifyMetadata", "CustomizeApplication"}, "Modify Metadata Through Metadata API Functions"},
	}
	for _, tc := range cases {
		t.Run(tc.missing, func(t *testing.T) {
			sb := sandboxFromSeed(t)
			sb.WithholdPermissions(tc.withheld...)
			e := newEnv(t, sb)
			checks, err := e.client.Check(context.Background(), live.CheckRequest{Bindings: []live.Binding{bind("Lead", "Region__c")}})
			if err != nil {
				t.Fatal(err)
			}
			var failed []string
			for _, c := range checks {
				if c.Failed() {
					failed = append(failed, c.Name)
				}
			}
			if len(failed) != 1 || failed[0] != tc.missing {
				t.Fatalf("failed %q, want only %q:\n%s", failed, tc.missing, clienttest.Checks(checks))
			}
			c, _ := find(checks, tc.missing)
			if !strings.Contains(c.Fix, "System Permissions") {
				t.Errorf("fix %q", c.Fix)
			}
		})
	}
	// Customize Application serves instead of Modify Metadata.
	sb := sandboxFromSeed(t)
	sb.WithholdPermissions("ModifyMetadata")
	checks, err := newEnv(t, sb).client.Check(context.Background(), live.CheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := find(checks, "Customize Application"); !ok || c.Status != live.CheckOK {
		t.Errorf("Customize Application does not stand in:\n%s", clienttest.Checks(checks))
	}
}

// TestCheckFieldsAndLimit: a read-only field and a missing object fail,
// a missing field warns (plan creates it), and a nearly used-up daily
// allocation warns.
func TestCheckFieldsAndLimit(t *testing.T) {
	st := seedState(t)
	for _, f := range st.Objects["Lead"].Fields {
		if f.Name == "Region__c" {
			f.ReadOnly = true
		}
	}
	sb, err := sfsandbox.FromState(st, sfsandbox.WithAPIUsage(95_000, 100_000))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sb)
	checks, err := e.client.Check(context.Background(), live.CheckRequest{Bindings: []live.Binding{bind("Lead", "Region__c"), bind("Lead", "Tier__c"), bind("Nope__c", "X__c")}})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]live.CheckStatus{"Lead.Region__c": live.CheckMissing, "Lead.Tier__c": live.CheckWarn,
		"Nope__c.X__c": live.CheckMissing, "DailyApiRequests": live.CheckWarn} {
		if c, ok := find(checks, name); !ok || c.Status != want || c.Fix == "" {
			t.Errorf("%s: %+v, want %s with a fix", name, c, want)
		}
	}
	if c, _ := find(checks, "DailyApiRequests"); !strings.Contains(c.Detail, "of 100000 requests left") {
		t.Errorf("limit detail %q", c.Detail)
	}
}

// TestCheckBadToken: a token the org refuses is a failed auth check, not
// an error, and the check says how to fix it.
func TestCheckBadToken(t *testing.T) {
	e := newEnv(t, sandboxFromSeed(t, sfsandbox.WithToken("another-token")))
	checks, err := e.client.Check(context.Background(), live.CheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 || checks[0].Kind != live.CheckAuth || !checks[0].Failed() || checks[0].Fix == "" {
		t.Fatalf("checks %+v", checks)
	}
	if strings.Contains(checks[0].Detail, testToken) {
		t.Errorf("detail shows the token: %s", checks[0].Detail)
	}
}
