package sandbox

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const patchRegion = `{"options":[{"label":"EMEA","value":"emea","hidden":false,"displayOrder":0},{"label":"Mars","value":"mars","hidden":false,"displayOrder":1}]}`

func TestOpenCreatesStateFromSeed(t *testing.T) {
	state := filepath.Join(t.TempDir(), ".mops", "sandbox.json")
	if _, err := Open(state, seedPath); err != nil {
		t.Fatal(err)
	}
	st, err := readState(state, timeZero)
	if err != nil {
		t.Fatal(err)
	}
	if st.Version != StateVersion || len(st.Objects["contacts"].Records) != 12 || len(st.SubscriptionDefinitions) != 5 {
		t.Fatalf("state from seed: version %d, %d contacts, %d definitions", st.Version, len(st.Objects["contacts"].Records), len(st.SubscriptionDefinitions))
	}
}

func TestStateSurvivesRestartAndSeedIsUsedOnce(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	sb, err := Open(state, seedPath)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, call(t, sb, "PATCH", "/crm/v3/properties/contacts/region", patchRegion), 200)
	wantStatus(t, call(t, sb, "POST", "/crm/v3/objects/contacts/batch/update", `{"inputs":[{"id":"101","properties":{"region":"mars"}}]}`), 200)

	// Restart: the same seed must not overwrite the state, nor must a seed
	// that no longer exists matter.
	for _, seed := range []string{seedPath, filepath.Join(t.TempDir(), "gone.json")} {
		sb2, err := Open(state, seed)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := sb2.Property("contacts", "region")
		if len(p.Options) != 2 || p.Options[1].Value != "mars" {
			t.Fatalf("options after restart = %+v", p.Options)
		}
		if v, _ := sb2.RecordValues("contacts", "101"); v["region"] != "mars" {
			t.Fatalf("record after restart = %v", v)
		}
	}
}

func TestFailedWriteKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox.json")
	sb, err := Open(state, seedPath)
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	sb.file.BeforeRename = func(tmp string) error {
		// The new state is complete in the temp file; the crash comes
		// before it replaces the old one.
		if data, err := os.ReadFile(tmp); err != nil || !bytes.Contains(data, []byte(`"mars"`)) {
			t.Errorf("temp file incomplete: %v", err)
		}
		return errors.New("disk on fire")
	}
	a := call(t, sb, "PATCH", "/crm/v3/properties/contacts/region", patchRegion)
	wantStatus(t, a, 500)
	if e := a.apiError(t); !strings.Contains(e.Message, "disk on fire") {
		t.Fatalf("error = %+v", e)
	}
	after, _ := os.ReadFile(state)
	if !bytes.Equal(before, after) {
		t.Fatal("a failed write changed the state file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temp files left behind: %v", entries)
	}
	// Memory was rolled back to what is on disk.
	if p, _ := sb.Property("contacts", "region"); len(p.Options) != 4 {
		t.Fatalf("in-memory options not rolled back: %+v", p.Options)
	}
	sb.file.BeforeRename = nil
	wantStatus(t, call(t, sb, "PATCH", "/crm/v3/properties/contacts/region", patchRegion), 200)
	if after, _ := os.ReadFile(state); bytes.Equal(before, after) {
		t.Fatal("state file not updated after the disk recovered")
	}
}

func TestBadStateOrSeedIsAnError(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	corrupt := write("state.json", "{not json")
	if _, err := Open(corrupt, seedPath); err == nil || !strings.Contains(err.Error(), "state.json") {
		t.Fatalf("corrupt state: %v", err)
	}
	for name, seed := range map[string]string{
		"dup-property.json": `{"objects":{"contacts":{"properties":[{"name":"a"},{"name":"a"}]}}}`,
		"dup-option.json":   `{"objects":{"contacts":{"properties":[{"name":"a","type":"enumeration","options":[{"label":"X","value":"x","hidden":false},{"label":"Y","value":"x","hidden":false}]}]}}}`,
		"dup-record.json":   `{"objects":{"contacts":{"records":[{"id":"1"},{"id":"1"}]}}}`,
		"bad-type.json":     `{"objects":{"contacts":{"properties":[{"name":"a","type":"galaxy"}]}}}`,
		"version.json":      `{"version":99}`,
		"required.json":     `{"objects":{"contacts":{}},"portal":{"requiredProperties":[{"object":"contacts","property":"nope"}]}}`,
		"lag.json":          `{"portal":{"searchLag":"soon"}}`,
	} {
		if _, err := Open("", write(name, seed)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := Open("", filepath.Join(dir, "missing-seed.json")); err == nil {
		t.Error("missing seed: want an error")
	}
	sb, err := Open("", "")
	if err != nil || len(sb.State().Objects) != 4 {
		t.Fatalf("no seed: want four empty object types, got %v", err)
	}
}

func TestOpenDoesNotRewriteExistingState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	compact := []byte(`{"version":1,"objects":{"contacts":{"properties":[],"records":[{"id":"1","properties":{}}]}},"subscriptionDefinitions":[]}`)
	if err := os.WriteFile(state, compact, 0o644); err != nil {
		t.Fatal(err)
	}
	sb, err := Open(state, seedPath)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(state); !bytes.Equal(got, compact) {
		t.Fatalf("Open rewrote the state file:\n%s", got)
	}
	if _, ok := sb.RecordValues("contacts", "1"); !ok {
		t.Fatal("state not loaded")
	}
}
