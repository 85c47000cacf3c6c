package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/plan"
)

const (
	acmeExample = "../../examples/acme"
	dana        = "dana.whitfield@acme.example"
	priya       = "priya.raman@acme.example"
)

// acmeCopy copies the example repository into a temporary folder, without
// its dot-folders (.mops holds the sandbox state, change log and locks of
// whoever ran mops there; .github is CI configuration, not governance), so a
// test starts from the seed and never writes into examples/.
func acmeCopy(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := os.DirFS(acmeExample)
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(p))
		if d.IsDir() {
			if strings.HasPrefix(p, ".") && p != "." {
				return fs.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// runAt is run with the clock at now and environment variables env.
func runAt(t *testing.T, now time.Time, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := Env{
		Stdout: &out, Stderr: &errOut,
		Getenv:     func(k string) string { return env[k] },
		Now:        func() time.Time { return now },
		IsTerminal: func(io.Writer) bool { return false },
	}
	code := Run(context.Background(), args, e)
	return out.String(), errOut.String(), code
}

// mustRun runs mops and fails the test unless it exits with code.
func mustRun(t *testing.T, code int, args ...string) string {
	t.Helper()
	stdout, stderr, got := run(t, args...)
	if got != code {
		t.Fatalf("mops %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), got, code, stdout, stderr)
	}
	return stdout
}

// editSeed changes the copy's sandbox seed before the sandbox is first
// used.
func editSeed(t *testing.T, dir string, edit func(*sandbox.State)) {
	t.Helper()
	path := filepath.Join(dir, "live", "sandbox-seed.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st sandbox.State
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	edit(&st)
	if data, err = json.Marshal(&st); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPlanExample(t *testing.T) {
	t.Parallel()
	dir := acmeCopy(t)
	out := mustRun(t, 0, "plan", "--dir", dir)
	// One plan covers both sandboxes the example binds (HubSpot-like and
	// Salesforce-like), grouped by system and ordered for execution across
	// them; hubspot-prod has no token here and is skipped with a warning.
	for _, want := range []string{
		"mops plan: systems salesforce-sandbox, sandbox",
		"salesforce-sandbox\n  Lead.LeadSource  Taxonomy lead-source",
		`1.  + create  add option "sales_prospecting" ("Sales Prospecting")`,
		`4.  > migrate-records  move 7 record(s) from "trade_show" to "event"  [destructive]`,
		`6.  - hide  hide deprecated option "trade_show" (replaced by "event")`,
		"sandbox\n  contacts.lead_source  Taxonomy lead-source",
		`2.  + create  add option "sales_prospecting" ("Sales Prospecting")`,
		`3.  ~ update  relabel "paid_social": "Paid social (Meta/LinkedIn)" -> "Paid Social"`,
		`5.  > migrate-records  move 12 record(s) from "trade_show" to "event"  [destructive]`,
		`7.  - hide  hide deprecated option "trade_show" (replaced by "event")`,
		`8.  - remove  remove undeclared option "print_ad" ("Print Ad"); no record holds it  [destructive]`,
		"not planned: system hubspot-prod: not reachable from here: environment variable HUBSPOT_TOKEN is not set",
		": 2 to create, 1 to update, 2 migration(s) moving 19 record(s), 2 to hide, 1 to remove.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	// The summary names the plan by its id, and the same documents and
	// live give the same id.
	id := regexp.MustCompile(`\nPlan ([0-9a-f]{12}): `).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("the plan's summary does not name its id:\n%s", out)
	}
	if again := mustRun(t, 0, "plan", "--dir", dir); !strings.Contains(again, "\nPlan "+id[1]+": ") {
		t.Errorf("the same plan made again is not plan %s:\n%s", id[1], again)
	}
	out = mustRun(t, 0, "plan", "--dir", dir, "--format", "json")
	var p plan.Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("--format json is not a plan: %v\n%s", err, out)
	}
	if len(p.Changes) != 8 || p.Changes[3].Records != 7 || p.Changes[4].Records != 12 || p.Hash == "" || p.ID != id[1] {
		t.Errorf("json plan: %d changes, migrations of %d and %d records, hash %q, id %q", len(p.Changes), p.Changes[3].Records, p.Changes[4].Records, p.Hash, p.ID)
	}
	// --system narrows the plan to one system.
	out = mustRun(t, 0, "plan", "--dir", dir, "--system", "sandbox")
	if !strings.Contains(out, "mops plan: system sandbox\n") || strings.Contains(out, "Lead.LeadSource") || strings.Contains(out, "hubspot-prod") {
		t.Errorf("--system sandbox plans more than the sandbox:\n%s", out)
	}
}

// TestPlanApplyPlan is the round trip a user makes: plan with changes
// (exit 2 under --detailed-exitcode), apply with the two approvers the
// destructive changes need, then plan again: no changes, exit 0.
func TestPlanApplyPlan(t *testing.T) {
	t.Parallel()
	dir := acmeCopy(t)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	out := mustRun(t, ExitChanges, "plan", "--dir", dir, "--out", planFile, "--detailed-exitcode")
	if !strings.Contains(out, "Saved the plan to "+planFile) {
		t.Errorf("plan does not say where it saved the plan:\n%s", out)
	}
	if _, err := plan.Read(planFile); err != nil {
		t.Fatalf("saved plan does not read back: %v", err)
	}
	out = mustRun(t, 0, "apply", planFile, "--dir", dir, "--approved-by", dana, "--approved-by", priya)
	for _, want := range []string{
		"Applying plan ",
		"1. + create salesforce-sandbox:Lead.LeadSource: applied",
		"2. + create sandbox:contacts.lead_source: applied",
		"3. ~ update sandbox:contacts.lead_source: applied",
		"4. > migrate-records salesforce-sandbox:Lead.LeadSource: applied (7 record(s))",
		"5. > migrate-records sandbox:contacts.lead_source: applied (12 record(s))",
		"6. - hide salesforce-sandbox:Lead.LeadSource: applied",
		"7. - hide sandbox:contacts.lead_source: applied",
		"8. - remove sandbox:contacts.lead_source: applied",
		"Applied. Recorded in " + filepath.Join(dir, ".mops", "changelog"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("apply output lacks %q:\n%s", want, out)
		}
	}
	out = mustRun(t, 0, "plan", "--dir", dir, "--detailed-exitcode")
	if !strings.Contains(out, "No changes. salesforce-sandbox, sandbox match the repository.") {
		t.Errorf("second plan is not empty:\n%s", out)
	}
	out = mustRun(t, 0, "log", "--dir", dir, "--verify")
	if !regexp.MustCompile(`^Verified: the hash chain of \d+ record\(s\) in \.mops/changelog is intact\.\n$`).MatchString(out) {
		t.Errorf("log --verify after apply does not print just the verdict:\n%s", out)
	}
	// The log names the plan by its id and the approvers by their RACI
	// member ids, whichever identity was given.
	saved, err := plan.Read(planFile)
	if err != nil {
		t.Fatal(err)
	}
	out = mustRun(t, 0, "log", "--dir", dir)
	if !strings.Contains(out, "plan "+saved.ID+" approved by @dana-whitfield, @priya-raman") {
		t.Errorf("log after apply:\n%s", out)
	}
}

// TestPlanWithErrorsIsNotSaved: an undeclared value that records still hold
// cannot be removed; plan says how many records and what to do, exits 1
// and writes no plan file.
func TestPlanWithErrorsIsNotSaved(t *testing.T) {
	t.Parallel()
	dir := acmeCopy(t)
	editSeed(t, dir, func(st *sandbox.State) {
		n := 0
		for _, r := range st.Objects["contacts"].Records {
			if r.Properties["lead_source"] == "website" && n < 3 {
				r.Properties["lead_source"] = "print_ad"
				n++
			}
		}
	})
	planFile := filepath.Join(t.TempDir(), "plan.json")
	stdout, stderr, code := run(t, "plan", "--dir", dir, "--out", planFile, "--detailed-exitcode")
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{`cannot remove option "print_ad"`, "3 record(s) hold it", "deprecated: true and replacedBy"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("plan output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "remove undeclared option") {
		t.Errorf("plan still removes print_ad:\n%s", stdout)
	}
	if !strings.Contains(stderr, "not writing "+planFile+": the plan has errors") {
		t.Errorf("stderr %q does not say the plan was not written", stderr)
	}
	if _, err := os.Stat(planFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a plan with errors was saved: %v", err)
	}
}
