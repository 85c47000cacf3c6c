package sfsandbox_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/live/sfsandbox"
)

func TestStateCreatedFromSeedAndSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".mops", "sf.json")
	sb, err := sfsandbox.Open(path, seedPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("state file not written at once: %v", err)
	}
	call(t, sb, http.MethodPatch, api+"/composite/sobjects", update(rec("00Q000000000001AAA", map[string]*string{"Region__c": new("na")})))

	again, err := sfsandbox.Open(path, "does-not-exist.json") // the seed is used only once
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := again.RecordValue("Lead", "00Q000000000001AAA", "Region__c"); v != "na" {
		t.Fatalf("after restart: region %q, want na", v)
	}
	info, _ := os.Stat(path)
	if _, err := sfsandbox.Open(path, ""); err != nil {
		t.Fatal(err)
	}
	if info2, _ := os.Stat(path); !info2.ModTime().Equal(info.ModTime()) {
		t.Fatal("opening rewrote an existing state file")
	}
}

func TestDefaultStateWithoutSeed(t *testing.T) {
	sb, err := sfsandbox.Open("", "")
	if err != nil {
		t.Fatal(err)
	}
	for object, field := range map[string]string{"Lead": "Status", "Contact": "LeadSource", "Opportunity": "StageName", "Campaign": "Type", "Account": "Industry"} {
		if vals, ok := sb.Values(object, field); !ok || len(vals) == 0 {
			t.Errorf("default state: %s.%s has no values", object, field)
		}
	}
	vals, _ := sb.Values("Opportunity", "StageName")
	if string(vals[len(vals)-2].Extra["won"]) != "true" {
		t.Errorf("Closed Won lost its flags: %+v", vals[len(vals)-2])
	}
}

func TestFailedWriteKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sf.json")
	sb, err := sfsandbox.Open(path, seedPath)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)
	sfsandbox.FailNextSave(sb, errors.New("disk full"))
	a := call(t, sb, http.MethodPatch, api+"/composite/sobjects", update(rec("00Q000000000001AAA", map[string]*string{"Region__c": new("na")})))
	if a.status != 500 || !strings.Contains(string(a.body), "disk full") {
		t.Fatalf("HTTP %d %s, want a 500", a.status, a.body)
	}
	if now, _ := os.ReadFile(path); string(now) != string(old) {
		t.Fatal("state file changed by a failed write")
	}
	if v, _ := sb.RecordValue("Lead", "00Q000000000001AAA", "Region__c"); v != "latam" {
		t.Fatalf("memory not rolled back: region %q", v)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temp files left: %v", entries)
	}
}

func TestBadSeedsAreRefused(t *testing.T) {
	for name, seed := range map[string]string{
		"version":              `{"version": 2}`,
		"standard without set": `{"objects": {"Lead": {"fields": [{"name": "LeadSource", "type": "picklist"}]}}}`,
		"unknown global":       `{"objects": {"Lead": {"fields": [{"name": "S__c", "type": "picklist", "valueSetName": "Nope"}]}}}`,
		"duplicate value":      `{"objects": {"Lead": {"fields": [{"name": "S__c", "type": "picklist", "values": [{"valueName": "a"}, {"valueName": "A"}]}]}}}`,
		"record field":         `{"objects": {"Lead": {"fields": [], "records": [{"id": "00Q000000000001AAA", "fields": {"Nope": "x"}}]}}}`,
		"empty standard set":   `{"standardValueSets": [{"fullName": "LeadSource", "standardValue": []}]}`,
		"boolean value":        `{"objects": {"Lead": {"fields": [], "records": [{"id": "00Q000000000001AAA", "fields": {"IsConverted": "yes"}}]}}}`,
		"rule on no field":     `{"objects": {"Lead": {"fields": []}}, "validationRules": [{"name": "R", "object": "Lead", "field": "Nope", "message": "m"}]}`,
		"rule without message": `{"objects": {"Lead": {"fields": []}}, "validationRules": [{"name": "R", "object": "Lead", "field": "IsConverted"}]}`,
	} {
		path := filepath.Join(t.TempDir(), "seed.json")
		if err := os.WriteFile(path, []byte(seed), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := sfsandbox.Open("", path); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

// TestSeedNamingValuesFullNameStillOpens: a seed or state written before
// the emulator spoke the Tooling API's shape names values fullName; it
// opens, and the state it keeps names them valueName.
func TestSeedNamingValuesFullNameStillOpens(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	legacy := `{"objects": {"Lead": {"fields": [{"name": "S__c", "type": "picklist", "values": [{"fullName": "a", "label": "A"}]}]}}}`
	if err := os.WriteFile(seed, []byte(legacy), 0o644); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state.json")
	sb, err := sfsandbox.Open(state, seed)
	if err != nil {
		t.Fatal(err)
	}
	if vals, _ := sb.Values("Lead", "S__c"); len(vals) != 1 || vals[0].ValueName != "a" || len(vals[0].Extra) != 0 {
		t.Fatalf("values: %+v", vals)
	}
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"valueName": "a"`) || strings.Contains(string(data), `"fullName": "a"`) {
		t.Fatalf("state file:\n%s", data)
	}
}
