package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
	"github.com/mops-dev/mops/engine/semdiff"
)

// updateGolden is the package's -update flag: it rewrites the golden files
// under testdata/ instead of comparing with them.
var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

// runDiff runs `mops diff args...` in-process. Until diff is registered in
// newRoot it attaches the command to the root itself, reading the global
// flags the root parsed.
func runDiff(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	args = append([]string{"diff"}, args...)
	var out, errOut bytes.Buffer
	env := Env{
		Stdout: &out, Stderr: &errOut,
		Getenv:     func(string) string { return "" },
		Now:        func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) },
		IsTerminal: func(io.Writer) bool { return false },
	}
	code := Run(context.Background(), args, env)
	return out.String(), errOut.String(), code
}

// diffRepo builds the repository of a pull request: testdata/diff/base
// committed on main (and fetched as origin/main), then testdata/diff/head
// committed on top. The governance folder is examples/acme, a subfolder.
func diffRepo(t *testing.T) (*gitrepotest.Repo, string) {
	t.Helper()
	g := gitrepotest.New(t)
	g.Write(map[string]string{"README.md": "# Acme\n"})
	g.CopyDir("testdata/diff/base", "examples/acme")
	g.Commit("Acme governance")
	g.RemoteBranch("origin", "main")
	g.Remove("examples/acme")
	g.CopyDir("testdata/diff/head", "examples/acme")
	g.Commit("Q1 changes: SAL stage, EU SMS, podcast lead source")
	return g, filepath.Join(g.Dir, "examples", "acme")
}

// diffGolden compares got with testdata/diff/name, or rewrites it with -update.
func diffGolden(t *testing.T, name string, got string) {
	t.Helper()
	p := filepath.Join("testdata", "diff", name)
	if *updateGolden {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); review, then go test -update:\n%s", p, diff)
	}
}

func TestDiffPullRequestGolden(t *testing.T) {
	_, dir := diffRepo(t)
	for format, file := range map[string]string{"markdown": "pr.md", "text": "pr.txt"} {
		t.Run(format, func(t *testing.T) {
			stdout, stderr, code := runDiff(t, "--dir", dir, "--base", "origin/main", "--head", "HEAD", "--format", format)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			diffGolden(t, file, stdout)
		})
	}
}

// TestDiffJSON asserts the semantic changes the pull request makes.
func TestDiffJSON(t *testing.T) {
	_, dir := diffRepo(t)
	stdout, stderr, code := runDiff(t, "--dir", dir, "--base", "origin/main", "--head", "HEAD", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	var r semdiff.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	byOp := map[semdiff.Op][]semdiff.Change{}
	for _, d := range r.Documents {
		for _, c := range d.Changes {
			byOp[c.Op] = append(byOp[c.Op], c)
		}
	}
	if len(byOp["value.removed"]) != 0 || len(byOp["value.added"]) != 1 {
		t.Errorf("a relabel or move shows as remove+add: added %v removed %v", byOp["value.added"], byOp["value.removed"])
	}
	checks := []struct {
		op      semdiff.Op
		message string
	}{
		{"value.relabelled", "Lead Source: display relabelled from 'Display Advertising' to 'Display Ads'"},
		{"value.reordered", "Lead Source: 'Partner Referral' moved from position 13 to 7"},
		{"value.deprecated", "Lead Source: 'Direct Mail' deprecated in favour of 'Event'"},
		{"stage.added", "contact-lifecycle: stage 'Sales Accepted Lead' (sal) added at position 4"},
		{"transition.removed", "contact-lifecycle: transition mql → sql removed"},
		{"transition.added", "contact-lifecycle: transition sal → sql added"},
		{"consent.optIn.changed", "eu-gdpr: email opt-in lowered from double to single (loosened)"},
		{"consent.channel.allowed", "eu-gdpr: sms is now allowed with lawful basis consent, double opt-in, subscription type sms-marketing, unsubscribe link (loosened)"},
		{"activity.accountable.changed", "mops: accountable for consent-change changed from 'legal' to 'mops-lead'"},
		{"sla.target.changed", "mql-follow-up: target changed from '24h' to '8h' (tightened)"},
	}
	for _, c := range checks {
		found := false
		for _, got := range byOp[c.op] {
			found = found || got.Message == c.message
		}
		if !found {
			t.Errorf("no %s %q; got %+v", c.op, c.message, byOp[c.op])
		}
	}
	for _, c := range byOp["consent.optIn.changed"] {
		if c.Subject != "email" {
			continue
		}
		if !c.Compliance || c.Direction != semdiff.Loosened || c.File != "consent/eu-gdpr.yaml" || c.Line != 13 {
			t.Errorf("opt-in change = %+v, want compliance, loosened, at consent/eu-gdpr.yaml:13", c)
		}
	}
	if r.Base.Ref != "origin/main" || len(r.Base.Commit) != 40 || r.Head.Ref != "HEAD" {
		t.Errorf("sides = %+v %+v", r.Base, r.Head)
	}
}

// TestDiffWorkingTree: without --head, uncommitted edits are the head.
func TestDiffWorkingTree(t *testing.T) {
	g, dir := diffRepo(t)
	stdout, _, code := runDiff(t, "--dir", dir, "--base", "HEAD")
	if code != 0 || !strings.Contains(stdout, "No semantic differences.") {
		t.Fatalf("clean working tree: exit %d\n%s", code, stdout)
	}
	g.Write(map[string]string{"examples/acme/slas/lead-follow-up.yaml": strings.Replace(diffTestdata(t, "head/slas/lead-follow-up.yaml"), "target: 8h", "target: 4h", 1)})
	stdout, stderr, code := runDiff(t, "--dir", dir, "--base", "HEAD")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "mops diff HEAD (" // the head side is the working tree
	if !strings.HasPrefix(stdout, want) || !strings.Contains(stdout, "→ working tree") ||
		!strings.Contains(stdout, "mql-follow-up: target changed from '8h' to '4h' (tightened)") {
		t.Errorf("output:\n%s", stdout)
	}
}

func diffTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "diff", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDiffUnknownRefExits2(t *testing.T) {
	_, dir := diffRepo(t)
	_, stderr, code := runDiff(t, "--dir", dir, "--base", "release-9")
	want := `mops: --base: unknown revision "release-9": no branch, tag or commit by that name (use a branch, a tag, a commit hash, HEAD~1 or origin/main)` + "\n"
	if code != 2 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and\n%s", code, stderr, want)
	}
	_, stderr, code = runDiff(t, "--dir", dir, "--base", "HEAD", "--head", "nope")
	if code != 2 || !strings.Contains(stderr, `--head: unknown revision "nope"`) {
		t.Errorf("unknown --head: exit %d, stderr %q", code, stderr)
	}
}

func TestDiffShallowCloneSaysHowToFetch(t *testing.T) {
	g, dir := diffRepo(t)
	g.MakeShallow()
	_, stderr, code := runDiff(t, "--dir", dir, "--base", "upstream/main")
	if code != 2 || !strings.Contains(stderr, "this is a shallow clone without upstream/main; fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestDiffNotARepositoryExits2(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mops.yaml"), []byte(diffProject), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runDiff(t, "--dir", dir, "--base", "main")
	if code != 2 || !strings.Contains(stderr, "not inside a git repository") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestDiffBadFlagsExit2(t *testing.T) {
	_, dir := diffRepo(t)
	if _, stderr, code := runDiff(t, "--dir", dir, "--base", "HEAD", "--format", "sarif"); code != 2 || !strings.Contains(stderr, `unknown format "sarif" for diff; supported: json, markdown, text`) {
		t.Errorf("bad format: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := runDiff(t, "--dir", dir); code != 2 || !strings.Contains(stderr, `required flag(s) "base" not set`) {
		t.Errorf("no --base: exit %d, stderr %q", code, stderr)
	}
}

// TestDiffBrokenBaseStillDiffs: a base with a broken file warns on stderr
// and diffs the documents that loaded.
func TestDiffBrokenBaseStillDiffs(t *testing.T) {
	g := gitrepotest.New(t)
	g.Write(map[string]string{
		"mops.yaml": diffProject,
		"bad.yaml":  "apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: broken\n",
		"sla.yaml":  "apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: turnaround}\nspec: {type: request-turnaround, target: 3d}\n",
	})
	g.Commit("base with a broken file")
	g.Write(map[string]string{"sla.yaml": "apiVersion: mops.dev/v1\nkind: SLA\nmetadata: {name: turnaround}\nspec: {type: request-turnaround, target: 2d}\n"})
	g.Remove("bad.yaml")
	g.Commit("fix")
	stdout, stderr, code := runDiff(t, "--dir", g.Dir, "--base", "HEAD~1", "--head", "HEAD")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stderr, "mops: warning: base HEAD~1 (") || !strings.Contains(stderr, "has 1 load problem") || !strings.Contains(stderr, "bad.yaml:") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if !strings.Contains(stdout, "turnaround: target changed from '3d' to '2d' (tightened)") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

const diffProject = "apiVersion: mops.dev/v1\nkind: Project\nmetadata: {name: t}\nspec: {}\n"
