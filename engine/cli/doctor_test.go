package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live/sandbox"
)

// editJSON rewrites the JSON file at path (relative to dir) with edit.
func editJSON(t *testing.T, dir, path string, edit func(map[string]any)) {
	t.Helper()
	p := filepath.Join(dir, path)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	if data, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixIndent puts a check's fix under its name.
var fixIndent = strings.Repeat(" ", 22)

// TestDoctor: against the example's two sandboxes, doctor finds every
// system ready and skips the one whose token is not set; once the seeds
// withhold a HubSpot scope and a Salesforce permission, it names both,
// says how to grant them, and exits 1.
func TestDoctor(t *testing.T) {
	dir := acmeCopy(t)
	out := mustRun(t, ExitOK, "doctor", "--dir", dir)
	for _, want := range []string{"sandbox (sandbox): ready", "salesforce-sandbox (sandbox): ready",
		"hubspot-prod (hubspot): skipped: system hubspot-prod: not reachable from here: environment variable HUBSPOT_TOKEN is not set",
		"Every system checked is ready; 1 skipped."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	dir = acmeCopy(t)
	editSeed(t, dir, func(st *sandbox.State) { st.WithheldScopes = []string{"crm.objects.contacts.write"} })
	editJSON(t, dir, "live/salesforce-seed.json", func(s map[string]any) { s["user"] = map[string]any{"withheld": []string{"ViewAllData"}} })
	out = mustRun(t, ExitFailed, "doctor", "--dir", dir)
	for _, want := range []string{
		"sandbox (sandbox): 1 missing\n",
		"  MISSING  scope      crm.objects.contacts.write\n" + fixIndent + "fix: add it to the service key",
		"salesforce-sandbox (sandbox): 1 missing\n",
		"  MISSING  permission View All Data: for counting and migrating every record, whoever owns it\n" + fixIndent +
			`fix: Setup → Permission Sets → the integration user's permission set → System Permissions → enable "View All Data"`,
		"2 problem(s) to fix before mops can plan and apply everywhere.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// A named system that cannot be reached fails; json names each check.
	out = mustRun(t, ExitFailed, "doctor", "--dir", dir, "--system", "hubspot-prod", "--format", "json")
	var r struct {
		Systems []struct{ Name, Status, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Systems) != 1 || r.Systems[0].Status != "failed" ||
		!strings.Contains(r.Systems[0].Reason, "HUBSPOT_TOKEN") {
		t.Fatalf("json %s (%v)", out, err)
	}
}
