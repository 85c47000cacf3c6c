package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/drift"
	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

// liveNow is the clock of the live-workflow tests: outside the example's
// 2026-12-20..2027-01-05 freeze, so apply is allowed.
func liveNow() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }

// liveApprovers are members of the example's mops-lead role: enough for
// the destructive changes of the example plan.
func liveApprovers() []string {
	return []string{"--approved-by", "dana.whitfield@acme.example", "--approved-by", "priya.raman@acme.example"}
}

// mops runs the CLI in-process with the test clock and environment
// variables vars, and returns stdout, stderr and the exit code.
func mops(t *testing.T, vars map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{
		Stdout: &out, Stderr: &errOut,
		Getenv:     func(k string) string { return vars[k] },
		Now:        liveNow,
		IsTerminal: func(io.Writer) bool { return false },
	}
	code := Run(context.Background(), args, env)
	return out.String(), errOut.String(), code
}

// mopsOK runs mops and fails the test unless it exits with want.
func mopsOK(t *testing.T, want int, args ...string) string {
	t.Helper()
	stdout, stderr, code := mops(t, nil, args...)
	if code != want {
		t.Fatalf("mops %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout
}

// exampleCopy copies examples/acme into a temporary folder without its
// dot-folders (.mops holds whoever's sandbox state and change log; .github
// is CI configuration), so the sandbox starts from the seed and nothing is
// written into examples/.
func exampleCopy(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "acme")
	src := os.DirFS(filepath.Join("..", "..", "examples", "acme"))
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(p))
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
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

// converge plans and applies system in dir, so live matches the
// repository.
func converge(t *testing.T, dir, system string) {
	t.Helper()
	planFile := filepath.Join(t.TempDir(), system+"-plan.json")
	mopsOK(t, 0, "plan", "--dir", dir, "--system", system, "--out", planFile)
	mopsOK(t, 0, append([]string{"apply", planFile, "--dir", dir}, liveApprovers()...)...)
}

// writeState writes a sandbox state (or seed) file made from the example
// seed, changed by edit.
func writeState(t *testing.T, path string, edit func(*sandbox.State)) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "acme", "live", "sandbox-seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st sandbox.State
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	edit(&st)
	if data, err = json.MarshalIndent(&st, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// property finds a property of a sandbox state.
func property(t *testing.T, st *sandbox.State, object, name string) *hsapi.Property {
	t.Helper()
	for _, p := range st.Objects[object].Properties {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no property %s.%s in the state", object, name)
	return nil
}

// replaceIn replaces old (which must occur) in a file of dir.
func replaceIn(t *testing.T, dir, file, old, new string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(file))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func decodeDrift(t *testing.T, stdout string) drift.Report {
	t.Helper()
	var r drift.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not a drift report: %v\n%s", err, stdout)
	}
	return r
}

// TestDriftOnSeedExits2: the example's HubSpot sandbox differs from the
// repository in five ways, each worded from live's side and naming the
// plan step that restores it.
func TestDriftOnSeedExits2(t *testing.T) {
	t.Parallel()
	dir := exampleCopy(t)
	out := mopsOK(t, 2, "drift", "--dir", dir, "--system", "sandbox")
	for _, want := range []string{
		"mops drift: system sandbox",
		"contacts.lead_source  Taxonomy lead-source (taxonomies/lead-source.yaml:",
		`- live lacks option "sales_prospecting" ("Sales Prospecting"), which the repository declares`,
		`~ live label of "paid_social" is "Paid social (Meta/LinkedIn)"; the repository says "Paid Social"`,
		`> deprecated "trade_show" is still held by 12 record(s); the repository replaces it with "event"`,
		`+ live still offers deprecated "trade_show"; the repository retires it (replaced by "event")`,
		`+ live has option "print_ad" ("Print Ad"), which the repository does not declare; no record holds it`,
		"Drift: 5 difference(s) from the repository.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("drift output lacks %q:\n%s", want, out)
		}
	}

	r := decodeDrift(t, mopsOK(t, 2, "drift", "--dir", dir, "--system", "sandbox", "--format", "json"))
	if !r.Drift || len(r.Systems) != 1 || r.Systems[0].Status != drift.StatusChecked {
		t.Fatalf("report = %+v", r)
	}
	var kinds []string
	for _, it := range r.Systems[0].Items {
		kinds = append(kinds, it.Kind)
		if it.PlanStep == 0 {
			t.Errorf("item %q names no plan step", it.Message)
		}
	}
	if got, want := strings.Join(kinds, ","), "option-missing,option-label,deprecated-held,deprecated-active,option-undeclared"; got != want {
		t.Errorf("kinds = %s, want %s", got, want)
	}

	md := mopsOK(t, 2, "drift", "--dir", dir, "--system", "sandbox", "--format", "markdown")
	for _, want := range []string{"### mops drift: ⚠️ live differs from the repository", "| `sandbox` | ⚠️ drift | 5 |", "**`contacts.lead_source`**", "- `+` live has option \"print_ad\""} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestDriftAfterApplyExits0(t *testing.T) {
	t.Parallel()
	dir := exampleCopy(t)
	converge(t, dir, "sandbox")
	out := mopsOK(t, 0, "drift", "--dir", dir, "--system", "sandbox")
	if !strings.Contains(out, "sandbox: no drift") || !strings.Contains(out, "No drift.") {
		t.Errorf("output:\n%s", out)
	}
	if md := mopsOK(t, 0, "drift", "--dir", dir, "--system", "sandbox", "--format", "markdown"); !strings.Contains(md, "### mops drift: ✅ no drift") {
		t.Errorf("markdown:\n%s", md)
	}
}

// TestDriftMissingThings covers what live lacks (a bound property, a
// subscription type a consent policy names) and an undeclared option that
// records hold, which plan cannot remove.
func TestDriftMissingThings(t *testing.T) {
	t.Parallel()
	dir := exampleCopy(t)
	writeState(t, filepath.Join(dir, "live", "sandbox-seed.json"), func(st *sandbox.State) {
		st.SubscriptionDefinitions = st.SubscriptionDefinitions[1:] // no Marketing Newsletter
		p := property(t, st, "contacts", "region")
		p.Options = append(p.Options, hsapi.Option{Value: "fax", Label: "Fax", DisplayOrder: 4})
		for _, r := range st.Objects["contacts"].Records[:2] {
			r.Properties["region"] = "fax"
		}
	})
	replaceIn(t, dir, "taxonomies/utm-medium.yaml", "      property: acme_utm_medium\n",
		"      property: acme_utm_medium\n    - system: sandbox\n      object: companies\n      property: acme_utm_medium\n")
	stdout, stderr, code := mops(t, nil, "drift", "--dir", dir, "--format", "json")
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s\n%s", code, stdout, stderr)
	}
	r := decodeDrift(t, stdout)
	byKind := map[string]drift.Item{}
	for _, it := range r.Systems[0].Items {
		if _, seen := byKind[it.Kind]; !seen || it.Value == "fax" {
			byKind[it.Kind] = it
		}
	}
	if it := byKind[drift.PropertyMissing]; it.Target.Object != "companies" || !strings.Contains(it.Message, "live has no property companies.acme_utm_medium") {
		t.Errorf("property-missing = %+v", it)
	}
	if it := byKind[drift.SubscriptionMissing]; !strings.Contains(it.Message, `subscription type "marketing-newsletter"`) {
		t.Errorf("subscription-type-missing = %+v", it)
	}
	want := `live has option "fax" ("Fax"), which the repository does not declare; 2 record(s) hold it, so mops plan cannot remove it`
	if it := byKind[drift.OptionUndeclared]; it.Value != "fax" || it.Records != 2 || it.PlanStep != 0 || !strings.Contains(it.Message, want) {
		t.Errorf("option-undeclared = %+v", it)
	}
	if len(r.Systems[0].Errors) != 0 {
		t.Errorf("errors = %v", r.Systems[0].Errors)
	}
}

func TestDriftNamedSystemWithoutTokenExits1(t *testing.T) {
	t.Parallel()
	dir := exampleCopy(t)
	_, stderr, code := mops(t, nil, "drift", "--dir", dir, "--system", "hubspot-prod")
	if code != 1 || !strings.Contains(stderr, "HUBSPOT_TOKEN is not set") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
}

func TestDriftBadUsageExits1(t *testing.T) {
	t.Parallel()
	dir := exampleCopy(t)
	for _, args := range [][]string{
		{"drift", "--dir", dir, "--format", "sarif"},
		{"drift", "--dir", dir, "--system", "sandbox", "--all-systems"},
		{"drift", "--dir", filepath.Join(dir, "missing")},
	} {
		if _, stderr, code := mops(t, nil, args...); code != 1 {
			t.Errorf("%v: exit %d, want 1 (2 means drift)\n%s", args, code, stderr)
		}
	}
}

// twoSandboxes adds a second sandbox system, sandbox-eu, to a copy of the
// example with its own state made by edit, and binds the region taxonomy
// to its contacts too.
func twoSandboxes(t *testing.T, edit func(*sandbox.State)) string {
	t.Helper()
	dir := exampleCopy(t)
	replaceIn(t, dir, "mops.yaml", "      seed: live/sandbox-seed.json\n",
		"      seed: live/sandbox-seed.json\n    - name: sandbox-eu\n      type: sandbox\n      state: .mops/sandbox-eu.json\n")
	replaceIn(t, dir, "taxonomies/region.yaml", "    - system: hubspot-prod\n",
		"    - system: sandbox-eu\n      object: contacts\n      property: region\n    - system: hubspot-prod\n")
	writeState(t, filepath.Join(dir, ".mops", "sandbox-eu.json"), edit)
	return dir
}

func TestDriftAllSystemsParity(t *testing.T) {
	t.Parallel()
	dir := twoSandboxes(t, func(st *sandbox.State) {
		p := property(t, st, "contacts", "region")
		p.Options = p.Options[:3] // no latam
		p.Options[1].Label = "Europe"
		for _, r := range st.Objects["contacts"].Records {
			if r.Properties["region"] == "latam" {
				r.Properties["region"] = "apac"
			}
		}
	})
	stdout, stderr, code := mops(t, nil, "drift", "--dir", dir, "--all-systems", "--format", "json")
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s\n%s", code, stdout, stderr)
	}
	r := decodeDrift(t, stdout)
	status := map[string]drift.System{}
	for _, s := range r.Systems {
		status[s.System] = s
	}
	if s := status["hubspot-prod"]; s.Status != drift.StatusSkipped || !strings.Contains(s.Reason, "HUBSPOT_TOKEN is not set") {
		t.Errorf("hubspot-prod = %+v, want skipped for its token", s)
	}
	if s := status["sandbox-eu"]; s.Status != drift.StatusChecked || len(s.Items) != 2 {
		t.Errorf("sandbox-eu = %+v, want the missing latam and the EMEA label", s)
	}
	var msgs []string
	for _, p := range r.Parity {
		msgs = append(msgs, p.Message)
	}
	// The example also binds lead-source and region to its Salesforce
	// sandbox, whose seed differs from the HubSpot sandbox's on lead-source.
	want := []string{
		`Taxonomy lead-source: value "paid_social" is labelled "Paid social (Meta/LinkedIn)" in sandbox:contacts.lead_source; "Paid Social" in salesforce-sandbox:Lead.LeadSource`,
		`Taxonomy lead-source: value "print_ad" is active in sandbox:contacts.lead_source; absent in salesforce-sandbox:Lead.LeadSource`,
		`Taxonomy region: value "emea" is labelled "EMEA" in sandbox:contacts.region, sandbox:companies.region, salesforce-sandbox:Lead.Region__c; "Europe" in sandbox-eu:contacts.region`,
		`Taxonomy region: value "latam" is active in sandbox:contacts.region, sandbox:companies.region, salesforce-sandbox:Lead.Region__c; absent in sandbox-eu:contacts.region`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("parity:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}

	text, _, _ := mops(t, nil, "drift", "--dir", dir, "--all-systems")
	for _, want := range []string{"mops drift: every bound system (sandbox, sandbox-eu, salesforce-sandbox, hubspot-prod)", "hubspot-prod: skipped: environment variable HUBSPOT_TOKEN is not set", "Parity between live properties of one document", `≠ Taxonomy region: value "latam" is active`} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

// TestDriftAllSystemsConverged: both sandboxes applied, HubSpot without a
// token: no drift, no parity difference, HubSpot skipped, exit 0.
func TestDriftAllSystemsConverged(t *testing.T) {
	t.Parallel()
	dir := twoSandboxes(t, func(st *sandbox.State) {
		property(t, st, "contacts", "region").Options[1].Label = "Europe"
	})
	converge(t, dir, "sandbox")
	converge(t, dir, "sandbox-eu")
	converge(t, dir, "salesforce-sandbox")
	stdout, stderr, code := mops(t, nil, "drift", "--dir", dir, "--all-systems", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, stdout, stderr)
	}
	r := decodeDrift(t, stdout)
	if r.Drift || len(r.Parity) != 0 || len(r.Systems) != 4 || r.Systems[3].Status != drift.StatusSkipped {
		t.Errorf("report = %+v", r)
	}
}

// TestDriftAllSystemsRefusedHubSpotFails: with the token set, HubSpot is
// tried, and one that refuses the token is a failure (exit 1), not a skip;
// the token is not echoed.
func TestDriftAllSystemsRefusedHubSpotFails(t *testing.T) {
	t.Parallel()
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"status":"error","message":"The access token is invalid","correlationId":"c-1","category":"INVALID_AUTHENTICATION"}`)
	}))
	defer hub.Close()
	dir := exampleCopy(t)
	replaceIn(t, dir, "mops.yaml", "baseURL: https://api.hubapi.com", "baseURL: "+hub.URL)
	stdout, stderr, code := mops(t, map[string]string{"HUBSPOT_TOKEN": "pat-secret"}, "drift", "--dir", dir, "--all-systems", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	r := decodeDrift(t, stdout)
	if s := r.Systems[len(r.Systems)-1]; s.System != "hubspot-prod" || s.Status != drift.StatusFailed || !strings.Contains(s.Reason, "HTTP 401") {
		t.Errorf("hubspot-prod = %+v", s)
	}
	if r.Systems[0].Status != drift.StatusChecked || len(r.Systems[0].Items) != 5 {
		t.Errorf("sandbox = %+v; a failing system must not hide the others", r.Systems[0])
	}
	if strings.Contains(stdout+stderr, "pat-secret") {
		t.Error("the token is in the output")
	}
}

// TestDriftRepositoryProblemExits1: a property bound by two documents
// cannot be compared; drift reports it as an error, still reports the
// rest, and exits 1.
func TestDriftRepositoryProblemExits1(t *testing.T) {
	t.Parallel()
	dir := exampleCopy(t)
	replaceIn(t, dir, "taxonomies/channel.yaml", "      property: first_touch_channel\n",
		"      property: first_touch_channel\n    - system: sandbox\n      object: contacts\n      property: region\n")
	stdout, stderr, code := mops(t, nil, "drift", "--dir", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"✖ error sandbox:contacts.region is bound by both", "contacts.lead_source", "Drift check failed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestDriftDefaultIsEveryBoundSystem: like plan, drift reads every system
// the repository binds by default, skipping one it cannot reach with the
// variable that is missing; --all-systems is a deprecated alias of that
// default, and repeated --system narrows it.
func TestDriftDefaultIsEveryBoundSystem(t *testing.T) {
	t.Parallel()
	dir := exampleCopy(t)
	stdout, stderr, code := mops(t, nil, "drift", "--dir", dir, "--format", "json")
	if code != 2 {
		t.Fatalf("exit %d, want 2 (drift)\n%s", code, stderr)
	}
	r := decodeDrift(t, stdout)
	var got []string
	for _, s := range r.Systems {
		got = append(got, s.System+"="+s.Status)
	}
	if want := "sandbox=checked salesforce-sandbox=checked hubspot-prod=skipped"; strings.Join(got, " ") != want || !r.AllSystems {
		t.Fatalf("systems %v (allSystems %v), want %s", got, r.AllSystems, want)
	}
	if reason := r.Systems[2].Reason; !strings.HasPrefix(reason, "environment variable HUBSPOT_TOKEN is not set") {
		t.Errorf("skip reason %q does not name the variable", reason)
	}
	if len(r.Systems[1].Items) == 0 || len(r.Parity) == 0 {
		t.Errorf("the Salesforce sandbox's drift or the parity between the two sandboxes is missing: %+v", r)
	}

	alias, stderr, code := mops(t, nil, "drift", "--dir", dir, "--all-systems", "--format", "json")
	if code != 2 || alias != stdout {
		t.Errorf("--all-systems: exit %d, report differs from the default:\n%s", code, alias)
	}
	if !strings.Contains(stderr, "--all-systems is deprecated") {
		t.Errorf("--all-systems says nothing about being deprecated: %q", stderr)
	}

	text := mopsOK(t, 2, "drift", "--dir", dir, "--system", "sandbox", "--system", "salesforce-sandbox")
	if !strings.HasPrefix(text, "mops drift: systems sandbox, salesforce-sandbox\n") || strings.Contains(text, "hubspot-prod") {
		t.Errorf("narrowed drift:\n%s", text)
	}
}

// TestPlanAndDriftSelectTheSameSystems: plan and drift cover the same
// systems by default and skip the unreachable one with the same reason.
func TestPlanAndDriftSelectTheSameSystems(t *testing.T) {
	t.Parallel()
	dir := exampleCopy(t)
	var p struct {
		Systems  []string
		Problems []struct{ Severity, Message string }
	}
	if err := json.Unmarshal([]byte(mopsOK(t, 0, "plan", "--dir", dir, "--format", "json")), &p); err != nil {
		t.Fatal(err)
	}
	r := decodeDrift(t, mopsOK(t, 2, "drift", "--dir", dir, "--format", "json"))
	var checked []string
	skipped := map[string]string{}
	for _, s := range r.Systems {
		if s.Status == drift.StatusSkipped {
			skipped[s.System] = s.Reason
		} else {
			checked = append(checked, s.System)
		}
	}
	slices.Sort(checked)
	if !slices.Equal(checked, p.Systems) {
		t.Errorf("drift checked %v, plan planned %v", checked, p.Systems)
	}
	if len(p.Problems) != 1 || p.Problems[0].Severity != "warning" || skipped["hubspot-prod"] == "" || !strings.Contains(p.Problems[0].Message, skipped["hubspot-prod"]) {
		t.Errorf("plan's skip %+v does not carry drift's reason %q", p.Problems, skipped["hubspot-prod"])
	}
}
