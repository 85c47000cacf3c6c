package policy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

func TestBaseRepositoryIsClean(t *testing.T) {
	got := evaluate(t, repoWith(t, nil), Options{})
	if len(got) > 0 {
		t.Fatalf("the base fixture should pass every rule, got:%s", dump(got))
	}
}

// TestExampleRepository runs the built-in policies and examples/acme's own
// policies over the example repository, which must pass.
func TestExampleRepository(t *testing.T) {
	dir := "../../examples/acme"
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the example repository is part of the project: %v", err)
	}
	got := evaluate(t, dir, Options{RepoPolicyDirs: []string{"policies"}})
	for _, f := range got {
		if f.Blocking() {
			t.Errorf("examples/acme should pass validation, got:%s", dump(got))
			break
		}
	}
	e, err := New(context.Background(), Options{RepoPolicies: os.DirFS(dir), RepoPolicyDirs: []string{"policies"}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range e.Rules() {
		if strings.HasPrefix(r.ID, "acme.") {
			ids = append(ids, r.ID+"/"+string(r.Severity)+"/"+r.Package)
		}
	}
	if strings.Join(ids, " ") != "acme.product-known/deny/mops.acme acme.product-label/deny/mops.acme" {
		t.Errorf("repository rules: %v", ids)
	}
}

const leadTimeWaiver = `apiVersion: mops.dev/v1
kind: Campaign
metadata:
  name: waived
  owner: demand-gen
  waivers:
    - rule: campaign.lead-time
      until: 2027-02-01
      reason: Board-mandated launch date
      approvedBy: mops-lead
spec:
  name: FY27-Q1-emea-email-spring_launch
  channel: email
  type: nurture
  regions: [emea]
  leadSource: webinar
  intakeDate: 2027-01-11
  launchDate: 2027-01-20
  endDate: 2027-03-31
  audience:
    segment: emea-prospects
    consent: {basis: consent, subscriptionType: marketing-newsletter}
  utm: {source: newsletter, medium: email, campaign: fy27-q1-emea-email-spring_launch}
  links: []
`

func TestValidWaiverMarksFindingWaived(t *testing.T) {
	got := evaluate(t, repoWith(t, map[string]string{"campaigns/waived.yaml": leadTimeWaiver}), Options{})
	if len(got) != 1 {
		t.Fatalf("want one waived finding, got:%s", dump(got))
	}
	f := got[0]
	if f.Rule != "campaign.lead-time" || !f.Waived || f.Blocking() || f.Line != 18 {
		t.Errorf("want a waived campaign.lead-time at line 18, got:%s", dump(got))
	}
	if !strings.Contains(f.WaiverReason, "Board-mandated launch date") {
		t.Errorf("waiver reason: %q", f.WaiverReason)
	}
}

func TestWaiverAddedAtHook(t *testing.T) {
	dir := repoWith(t, map[string]string{"campaigns/waived.yaml": leadTimeWaiver})
	// Added long ago: until is more than 90 days after the commit date.
	old := func(*model.Document, Waiver) time.Time { return time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC) }
	got := evaluate(t, dir, Options{AddedAt: old})
	var rules []string
	for _, f := range got {
		rules = append(rules, f.Rule)
		if f.Waived {
			t.Errorf("a too-long waiver must not silence anything:%s", dump(got))
		}
	}
	if strings.Join(rules, " ") != "waiver.too-long campaign.lead-time" {
		t.Errorf("got:%s", dump(got))
	}
	// Unknown commit date: today is used.
	unknown := func(*model.Document, Waiver) time.Time { return time.Time{} }
	if got := evaluate(t, dir, Options{AddedAt: unknown}); len(got) != 1 || !got[0].Waived {
		t.Errorf("got:%s", dump(got))
	}
}

// repoPolicy lays out the base repository with one repository policy file.
func repoPolicy(t *testing.T, name, src string) string {
	return repoWith(t, map[string]string{"policies/" + name: src})
}

func newWithPolicy(t *testing.T, name, src string) (*Engine, error) {
	dir := repoPolicy(t, name, src)
	return New(context.Background(), Options{RepoPolicies: os.DirFS(dir), RepoPolicyDirs: []string{"policies"}, Today: testToday})
}

func TestHostilePoliciesAreRefused(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"env", `package mops.evil

deny contains {"rule": "evil.env", "message": home} if {
	home := opa.runtime().env.HOME
}
`, "policies/evil.rego:4: opa.runtime is not available to repository policies (they run without network, environment or file access)"},
		{"http", `package mops.evil

deny contains {"rule": "evil.http", "message": "x"} if {
	resp := http.send({"method": "GET", "url": "http://127.0.0.1:1/"})
	resp.status_code == 200
}
`, "policies/evil.rego:4: http.send is not available to repository policies (they run without network, environment or file access)"},
		{"dns", `package mops.evil

deny contains {"rule": "evil.dns", "message": "x"} if {
	count(net.lookup_ip_addr("example.com")) > 0
}
`, "policies/evil.rego:4: net.lookup_ip_addr is not available to repository policies"},
		{"schema-ref", `package mops.evil

deny contains {"rule": "evil.file", "message": "x"} if {
	json.match_schema({}, {"$ref": "file:///etc/passwd"})
}
`, "policies/evil.rego:4: json.match_schema is not available to repository policies"},
		{"random", `package mops.evil

deny contains {"rule": "evil.random", "message": "x"} if {
	rand.intn("x", 2) == 1
}
`, "policies/evil.rego:4: rand.intn is not available to repository policies (they must give the same result on every run)"},
		{"builtin-package", `package mops.lib

roles contains "anyone"
`, "policies/evil.rego:1: package mops.lib belongs to the built-in policies"},
		{"builtin-rule-ref", `package mops

campaign.deny contains {"rule": "x.y", "message": "z"}
`, "policies/evil.rego:3: rule mops.campaign.deny would extend the built-in package mops.campaign"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := newWithPolicy(t, "evil.rego", c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want error containing %q, got %v", c.want, err)
			}
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Errorf("want a *CompileError, got %T", err)
			}
			// `mops test` compiles the same files the same way.
			dir := repoPolicy(t, "evil_test.rego", c.src)
			_, err = RunTests(context.Background(), Options{RepoPolicies: os.DirFS(dir), RepoPolicyDirs: []string{"policies"}})
			want := strings.Replace(c.want, "evil.rego", "evil_test.rego", 1)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("mops test: want error containing %q, got %v", want, err)
			}
		})
	}
}

func TestCompileErrorNamesFileAndLine(t *testing.T) {
	_, err := newWithPolicy(t, "broken.rego", "package mops.acme\n\ndeny contains x if {\n\tx := \n}\n")
	if err == nil || !strings.Contains(err.Error(), "policies/broken.rego:5:") {
		t.Fatalf("want policies/broken.rego:5, got %v", err)
	}
	_, err = newWithPolicy(t, "v0.rego", "package mops.acme\n\ndeny[msg] {\n\tmsg := \"old syntax\"\n}\n")
	if err == nil || !strings.Contains(err.Error(), "policies/v0.rego:3:") {
		t.Fatalf("want policies/v0.rego:3, got %v", err)
	}
}

// TestSlowDocumentIsAFinding: a policy too slow for one document is a
// policy.timeout finding at that document, and every other document is
// still checked.
func TestSlowDocumentIsAFinding(t *testing.T) {
	dir := repoPolicy(t, "slow.rego", `package mops.slow

deny contains {"rule": "slow.loop", "message": "never"} if {
	input.kind == "Project"
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	some k in numbers.range(1, 100000)
	i + j + k < 0
}

warn contains {"rule": "slow.checked", "message": "checked"} if input.kind == "SLA"
`)
	e, err := New(context.Background(), Options{RepoPolicies: os.DirFS(dir), RepoPolicyDirs: []string{"policies"}, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	b := loadBundle(t, dir)
	start := time.Now()
	fs, err := e.Evaluate(context.Background(), b)
	if err != nil {
		t.Fatalf("a slow document stopped the run: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s to stop", d)
	}
	var timeouts []string
	checked := 0
	for _, f := range fs {
		switch f.Rule {
		case RuleTimeout:
			timeouts = append(timeouts, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Message))
		case "slow.checked":
			checked++
		}
	}
	want := []string{"mops.yaml:1 policy evaluation of this document stopped at its time limit of 300ms: a policy loops or is too slow for it"}
	if !slices.Equal(timeouts, want) {
		t.Errorf("timeouts %q, want %q", timeouts, want)
	}
	if slas := len(b.ByKind(model.KindSLA)); checked != slas || slas == 0 {
		t.Errorf("%d of %d SLAs checked", checked, slas)
	}
}

// TestSlowRunStops: a run that is slow on every document stops at the
// run's limit, with an error naming a document it was checking.
func TestSlowRunStops(t *testing.T) {
	dir := repoPolicy(t, "slow.rego", `package mops.slow

deny contains {"rule": "slow.loop", "message": "never"} if {
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	i + j < 0
}
`)
	e, err := New(context.Background(), Options{RepoPolicies: os.DirFS(dir), RepoPolicyDirs: []string{"policies"}, Timeout: time.Minute, RunTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = e.Evaluate(context.Background(), loadBundle(t, dir))
	if err == nil || !strings.Contains(err.Error(), "policy evaluation stopped at the time limit of 300ms for the whole run (while checking ") {
		t.Fatalf("want the run's time limit, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s to stop", d)
	}
}

func TestMalformedFindingsAreReported(t *testing.T) {
	dir := repoPolicy(t, "sloppy.rego", `package mops.sloppy

deny contains "a bare string" if input.kind == "Campaign"

deny contains {"message": "no rule"} if input.kind == "Campaign"

warn contains {"rule": "sloppy.no-message"} if input.kind == "Campaign"

deny contains {"rule": "Sloppy_Rule", "message": "bad id"} if input.kind == "Campaign"

deny contains {"rule": "sloppy.fine", "message": "ok", "path": "/spec/regions/0"} if input.kind == "Campaign"
`)
	got := evaluate(t, dir, Options{RepoPolicyDirs: []string{"policies"}})
	var msgs []string
	for _, f := range got {
		if f.File != "campaigns/spring.yaml" {
			t.Errorf("unexpected %s", dump([]source.Finding{f}))
		}
		msgs = append(msgs, string(f.Severity)+" "+f.Rule+" "+f.Path+": "+f.Message)
	}
	want := []string{
		`deny policy.invalid-finding : policy package mops.sloppy: returned a deny finding without rule: {"message":"no rule"}`,
		`deny policy.invalid-finding : policy package mops.sloppy: returned a string "a bare string"; a finding is an object {rule, message, path}`,
		`deny policy.invalid-finding : policy package mops.sloppy: returned a warn finding without message: {"rule":"sloppy.no-message"}`,
		`deny policy.invalid-finding : policy package mops.sloppy: returned rule id "Sloppy_Rule", which is not dotted lower case (like acme.budget-owner)`,
		`deny sloppy.fine spec.regions[0]: ok`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range got {
		if f.Rule == "sloppy.fine" && f.Line != 10 {
			t.Errorf("JSON pointer path: line %d, want 10", f.Line)
		}
	}
}

func TestTimeIsPinnedToToday(t *testing.T) {
	dir := repoPolicy(t, "clock.rego", `package mops.clock

deny contains {"rule": "clock.now", "message": time.format([time.now_ns(), "UTC", "2006-01-02"])} if input.kind == "Project"
`)
	got := evaluate(t, dir, Options{RepoPolicyDirs: []string{"policies"}})
	if len(got) != 1 || got[0].Message != "2027-01-10" {
		t.Errorf("time.now_ns should be the run's date:%s", dump(got))
	}
}

func TestMissingPolicyFolder(t *testing.T) {
	_, err := New(context.Background(), Options{RepoPolicies: os.DirFS(t.TempDir()), RepoPolicyDirs: []string{"policies"}})
	var fe *FolderError
	if !errors.As(err, &fe) || fe.Index != 0 || !strings.Contains(err.Error(), `policy folder "policies" (mops.yaml spec.policies)`) {
		t.Fatalf("got %v", err)
	}
}

func TestEvaluateIsConcurrencySafe(t *testing.T) {
	dir := repoWith(t, map[string]string{"campaigns/waived.yaml": leadTimeWaiver})
	b := loadBundle(t, dir)
	e, err := New(context.Background(), Options{Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []source.Finding, 4)
	for range 4 {
		go func() {
			fs, err := e.Evaluate(context.Background(), b)
			if err != nil {
				t.Error(err)
			}
			done <- fs
		}()
	}
	for range 4 {
		if fs := <-done; len(fs) != 1 {
			t.Errorf("got:%s", dump(fs))
		}
	}
}
