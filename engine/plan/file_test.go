package plan_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/plan"
)

// samplePlan is the shape of the Acme plan: an option to create, a
// relabel, a migration, a hide and a removal.
func samplePlan() *plan.Plan {
	b := live.Binding{System: "sandbox", Object: "contacts", Property: "lead_source"}
	src := plan.Source{Kind: "Taxonomy", Name: "lead-source", File: "taxonomies/lead-source.yaml", Line: 51}
	trade := live.Option{Value: "trade_show", Label: "Trade Show", DisplayOrder: 90}
	hidden := trade
	hidden.Hidden = true
	print := live.Option{Value: "print_ad", Label: "Print Ad", DisplayOrder: 91}
	return &plan.Plan{
		FormatVersion: plan.FormatVersion,
		MopsVersion:   "test",
		CreatedAt:     time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
		Systems:       []string{"sandbox"},
		Commit:        "0123456789abcdef0123456789abcdef01234567",
		DesiredHash:   "sha256:desired",
		Fingerprints:  map[string]string{b.String(): "sha256:live", "sandbox:contacts.region": plan.Absent},
		Changes: []plan.Change{
			{Seq: 1, Action: plan.Create, Target: b, Value: "sales_prospecting",
				After: &live.Option{Value: "sales_prospecting", Label: "Sales Prospecting", DisplayOrder: 13}, Summary: "add", Source: src},
			{Seq: 2, Action: plan.Update, Target: b, Value: "paid_social",
				Before: &live.Option{Value: "paid_social", Label: "Paid social (Meta/LinkedIn)", DisplayOrder: 3},
				After:  &live.Option{Value: "paid_social", Label: "Paid Social", DisplayOrder: 3}, Summary: "relabel", Source: src},
			{Seq: 3, Action: plan.MigrateRecords, Target: b, From: "trade_show", To: "event", Records: 12, Destructive: true, Summary: "move 12 & more <records>", Source: src},
			{Seq: 4, Action: plan.Hide, Target: b, Value: "trade_show", Before: &trade, After: &hidden, Summary: "hide", Source: src},
			{Seq: 5, Action: plan.Remove, Target: b, Value: "print_ad", Before: &print, Destructive: true, Summary: "remove", Source: src},
		},
		Problems: []plan.Problem{{Severity: plan.Warning, Target: live.Binding{System: "sandbox"}, Message: "subscription type missing"}},
	}
}

func writeSample(t *testing.T) (string, *plan.Plan) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	p := samplePlan()
	if err := plan.Write(path, p); err != nil {
		t.Fatal(err)
	}
	return path, p
}

func TestWriteReadRoundTrip(t *testing.T) {
	path, p := writeSample(t)
	if !strings.HasPrefix(p.Hash, "sha256:") {
		t.Fatalf("Write did not seal the plan: hash %q", p.Hash)
	}
	got, err := plan.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("plan changed on a round trip (-written +read):\n%s", diff)
	}
	// Writing what was read gives the same bytes: the file format is stable.
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := plan.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Errorf("re-encoding a read plan changed its bytes")
	}
	if got.Destructive() != 2 || got.Empty() || got.HasErrors() {
		t.Errorf("Destructive %d, Empty %v, HasErrors %v; want 2, false, false", got.Destructive(), got.Empty(), got.HasErrors())
	}
}

func TestReadRefusesAlteredFiles(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(string) string
		wantErr error  // checked with errors.Is when set
		wantMsg string // contained in the error
	}{
		{"one byte of a value", func(s string) string {
			return strings.Replace(s, `"to": "event"`, `"to": "evenT"`, 1)
		}, plan.ErrTampered, "edited after mops plan wrote it"},
		{"records count", func(s string) string {
			return strings.Replace(s, `"records": 12`, `"records": 13`, 1)
		}, plan.ErrTampered, "run mops plan again"},
		{"destructive flag dropped", func(s string) string {
			return strings.Replace(s, `"destructive": true`, `"destructive": false`, 1)
		}, plan.ErrTampered, ""},
		{"hash itself", func(s string) string {
			i := strings.Index(s, `"hash": "sha256:`) + len(`"hash": "sha256:`)
			c := byte('0')
			if s[i] == '0' {
				c = '1'
			}
			return s[:i] + string(c) + s[i+1:]
		}, plan.ErrTampered, ""},
		{"a change removed", func(s string) string {
			i := strings.Index(s, `    {
      "seq": 5`)
			j := strings.Index(s, `  "problems"`)
			return s[:i-2] + "\n  ],\n" + s[j:]
		}, plan.ErrTampered, ""},
		{"other format version", func(s string) string {
			return strings.Replace(s, `"formatVersion": 3`, `"formatVersion": 2`, 1)
		}, plan.ErrVersion, "unsupported plan format version 2 (this mops reads version 3)"},
		{"id of another plan", func(s string) string {
			i := strings.Index(s, `"id": "`) + len(`"id": "`)
			c := byte('0')
			if s[i] == '0' {
				c = '1'
			}
			return s[:i] + string(c) + s[i+1:]
		}, plan.ErrTampered, ""},
		{"unknown field", func(s string) string {
			return strings.Replace(s, `"system": "sandbox",`, `"system": "sandbox", "approvedBy": "me",`, 1)
		}, nil, `unknown field "approvedBy"`},
		{"not JSON", func(string) string { return "plan: yes\n" }, nil, "is not a mops plan file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, _ := writeSample(t)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			edited := c.edit(string(data))
			if edited == string(data) {
				t.Fatal("the edit changed nothing; fix the test")
			}
			if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = plan.Read(path)
			if err == nil {
				t.Fatal("Read accepted an altered plan file")
			}
			if c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Errorf("error %q is not %v", err, c.wantErr)
			}
			if !strings.Contains(err.Error(), c.wantMsg) {
				t.Errorf("error %q does not contain %q", err, c.wantMsg)
			}
		})
	}
}

func TestReadMissingFile(t *testing.T) {
	_, err := plan.Read(filepath.Join(t.TempDir(), "nope.json"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error %v, want one wrapping os.ErrNotExist", err)
	}
}

// TestWriteIsAtomic checks that Write leaves no temporary file behind and
// replaces an existing plan.
func TestWriteIsAtomic(t *testing.T) {
	path, _ := writeSample(t)
	p := samplePlan()
	p.Changes = p.Changes[:1]
	if err := plan.Write(path, p); err != nil {
		t.Fatal(err)
	}
	got, err := plan.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Changes) != 1 {
		t.Errorf("got %d changes, want the rewritten plan's 1", len(got.Changes))
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only plan.json", names)
	}
}

// TestApplyToIsIdempotent checks the property that makes a crashed apply
// safe to run again: carrying out a change on its own result changes
// nothing more.
func TestApplyToIsIdempotent(t *testing.T) {
	live0 := []live.Option{
		{Value: "website", Label: "Website", DisplayOrder: 0},
		{Value: "paid_social", Label: "Paid social (Meta/LinkedIn)", DisplayOrder: 1},
		{Value: "trade_show", Label: "Trade Show", DisplayOrder: 90},
		{Value: "print_ad", Label: "Print Ad", DisplayOrder: 91},
	}
	created := live.Option{Value: "sales_prospecting", Label: "Sales Prospecting", DisplayOrder: 2}
	relabelled := live.Option{Value: "paid_social", Label: "Paid Social", DisplayOrder: 7}
	cases := []struct {
		name string
		c    plan.Change
		want []live.Option
	}{
		{"create", plan.Change{Action: plan.Create, Value: "sales_prospecting", After: &created},
			append(append([]live.Option{}, live0...), created)},
		{"relabel keeps display order", plan.Change{Action: plan.Update, Value: "paid_social", After: &relabelled},
			[]live.Option{live0[0], {Value: "paid_social", Label: "Paid Social", DisplayOrder: 1}, live0[2], live0[3]}},
		{"reorder", plan.Change{Action: plan.Update, OrderAfter: []string{"paid_social", "website"}},
			[]live.Option{{Value: "website", Label: "Website", DisplayOrder: 1}, {Value: "paid_social", Label: "Paid social (Meta/LinkedIn)", DisplayOrder: 0}, live0[2], live0[3]}},
		{"hide", plan.Change{Action: plan.Hide, Value: "trade_show"},
			[]live.Option{live0[0], live0[1], {Value: "trade_show", Label: "Trade Show", DisplayOrder: 90, Hidden: true}, live0[3]}},
		{"remove", plan.Change{Action: plan.Remove, Value: "print_ad"}, live0[:3]},
		{"migration leaves options alone", plan.Change{Action: plan.MigrateRecords, From: "trade_show", To: "website"}, live0},
		{"create property leaves options alone", plan.Change{Action: plan.Create, Options: []live.Option{created}}, live0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := append([]live.Option{}, live0...)
			once := c.c.ApplyTo(in)
			if diff := cmp.Diff(c.want, once); diff != "" {
				t.Errorf("ApplyTo (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(live0, in); diff != "" {
				t.Errorf("ApplyTo modified its input (-before +after):\n%s", diff)
			}
			if twice := c.c.ApplyTo(once); !live.SameOptions(once, twice) {
				t.Errorf("ApplyTo is not idempotent:\nonce  %v\ntwice %v", once, twice)
			}
		})
	}
}
