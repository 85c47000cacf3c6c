package workflows_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/plan"
)

// fakeGH is a stand-in for the GitHub CLI on PATH: `gh api PATH [--jq
// EXPR]` answers from files under its folder (api/ plus PATH with '/' and
// '?' turned into '_'), through the real jq; `gh run download RUN --name
// NAME --dir DIR` copies artifacts/NAME/. Every call is logged to calls.
const fakeGH = `#!/usr/bin/env bash
set -euo pipefail
printf '%s\n' "$*" >>"$FAKE_GH/calls"
case $1 in
api)
	shift
	path='' expr=''
	while [ $# -gt 0 ]; do
		case $1 in
		--paginate) ;;
		--jq) expr=$2; shift ;;
		*) path=$1 ;;
		esac
		shift
	done
	file="$FAKE_GH/api/$(printf '%s' "$path" | tr '/?' '__')"
	[ -f "$file" ] || { echo "fake gh: no answer for $path" >&2; exit 1; }
	if [ -n "$expr" ]; then jq -r "$expr" "$file"; else cat "$file"; fi
	;;
run)
	name='' dir=''
	while [ $# -gt 0 ]; do
		case $1 in
		--name) name=$2; shift ;;
		--dir) dir=$2; shift ;;
		esac
		shift
	done
	[ -d "$FAKE_GH/artifacts/$name" ] || { echo "fake gh: no artifact $name" >&2; exit 1; }
	mkdir -p "$dir" && cp -R "$FAKE_GH/artifacts/$name/." "$dir/"
	;;
*) echo "fake gh: $1 is not faked" >&2; exit 1 ;;
esac
`

// github is what GitHub knows about one pull request of the repository
// acme/governance: its comments, reviews, artifacts and merge.
type github struct {
	t   *testing.T
	dir string // the fake gh's folder
	bin string // a folder holding the fake gh, for PATH
}

func newGitHub(t *testing.T) *github {
	t.Helper()
	g := &github{t: t, dir: t.TempDir(), bin: t.TempDir()}
	if err := os.WriteFile(filepath.Join(g.bin, "gh"), []byte(fakeGH), 0o755); err != nil {
		t.Fatal(err)
	}
	return g
}

// answer makes `gh api path` answer v (as JSON).
func (g *github) answer(path string, v any) {
	g.t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		g.t.Fatal(err)
	}
	name := strings.NewReplacer("/", "_", "?", "_").Replace(path)
	if err := os.MkdirAll(filepath.Join(g.dir, "api"), 0o755); err != nil {
		g.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(g.dir, "api", name), data, 0o644); err != nil {
		g.t.Fatal(err)
	}
}

// keep stores file as the artifact name, as actions/upload-artifact does.
func (g *github) keep(name, file string) {
	g.t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		g.t.Fatal(err)
	}
	dir := filepath.Join(g.dir, "artifacts", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		g.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(file)), data, 0o644); err != nil {
		g.t.Fatal(err)
	}
	g.answer("repos/acme/governance/actions/artifacts?name="+name, map[string]any{
		"artifacts": []any{map[string]any{"name": name, "expired": false, "workflow_run": map[string]any{"id": 4242}}},
	})
}

// env is the environment of the apply job's run.sh after the merge.
func (g *github) env(merge string) map[string]string {
	return map[string]string{
		"PATH": g.bin + string(os.PathListSeparator) + os.Getenv("PATH"), "FAKE_GH": g.dir,
		"GITHUB_REPOSITORY": "acme/governance", "GITHUB_SHA": merge, "GITHUB_REF_NAME": "main", "MOPS_ACTOR": "ci",
	}
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = baseEnv()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// pullRequest is the example repository with pull request #7 open: main
// lacks the lead-source taxonomy, the branch feature adds it. It returns
// the repository, checked out at the pull request's head, and that
// commit.
func pullRequest(t *testing.T, root string) (repo, head string) {
	t.Helper()
	repo = acmeRepo(t, root, dropFreezes(t))
	git(t, repo, "branch", "feature")
	git(t, repo, "reset", "-q", "--hard", "HEAD~1")
	git(t, repo, "checkout", "-q", "feature")
	return repo, gitOut(t, repo, "rev-parse", "HEAD")
}

// merge merges the pull request into main and returns the merge commit.
func merge(t *testing.T, repo string) string {
	t.Helper()
	git(t, repo, "checkout", "-q", "main")
	git(t, repo, "merge", "-q", "--no-ff", "feature", "-m", "Merge pull request #7 from acme/feature")
	return gitOut(t, repo, "rev-parse", "HEAD")
}

// review runs the review job on the pull request and does what the
// workflow does with its outputs: GitHub keeps the sticky comment and the
// plan artifact. It returns the plan reviewed.
func (g *github) review(t *testing.T, a action, repo, head string) *plan.Plan {
	t.Helper()
	r := a.run(t, "review", repo, map[string]string{"MOPS_BASE": "main"})
	if r.code != 0 {
		t.Fatalf("review exited %d; stderr:\n%s", r.code, r.stderr)
	}
	p, err := plan.Read(r.outputs["plan-file"])
	if err != nil {
		t.Fatalf("the review kept no plan: %v", err)
	}
	if p.ID != r.outputs["plan-id"] || p.Commit != head {
		t.Fatalf("plan-id output %q, plan %s made at %s; want the plan of the head commit %s", r.outputs["plan-id"], p.ID, p.Commit, head)
	}
	body := r.body(t)
	if !strings.Contains(body, "Approving this pull request approves plan `"+p.ID+"`") {
		t.Errorf("the comment does not name the plan a review approves:\n%s", body)
	}
	g.answer("repos/acme/governance/issues/7/comments", []any{
		map[string]any{"user": map[string]any{"login": "someone", "type": "User"}, "body": "<!-- mops:plan-id:000000000000 --> looks good"},
		map[string]any{"user": map[string]any{"login": "github-actions[bot]", "type": "Bot"}, "body": body},
	})
	g.keep(fmt.Sprintf("mops-plan-%s-%s", head, p.ID), r.outputs["plan-file"])
	return p
}

// merged tells the fake GitHub that pull request #7, with head commit head,
// was merged as commit merge, approved by these logins on the head.
func (g *github) merged(merge, head string, approvers ...string) {
	g.answer("repos/acme/governance/commits/"+merge+"/pulls", []any{
		map[string]any{"number": 7, "merged_at": "2026-11-27T12:00:00Z", "merge_commit_sha": merge},
	})
	g.answer("repos/acme/governance/pulls/7", map[string]any{"number": 7, "head": map[string]any{"sha": head}})
	reviews := []any{
		// An approval of an earlier commit approved another plan.
		map[string]any{"user": map[string]any{"login": "marco-bianchi"}, "state": "APPROVED", "commit_id": "0000000000000000000000000000000000000000", "submitted_at": "2026-11-26T09:00:00Z"},
	}
	for i, login := range approvers {
		reviews = append(reviews, map[string]any{"user": map[string]any{"login": login}, "state": "APPROVED", "commit_id": head, "submitted_at": fmt.Sprintf("2026-11-27T10:%02d:00Z", i)})
	}
	g.answer("repos/acme/governance/pulls/7/reviews", reviews)
}

// TestReviewedPlanWorkflow runs the workflow's scripts the way GitHub runs
// them, from the review of a pull request to the apply job after its
// merge: the plan applied is the plan reviewed, step for step, or nothing
// is applied and the pull request is told which steps differ.
func TestReviewedPlanWorkflow(t *testing.T) {
	needTools(t, "bash", "git", "go", "jq")
	root := repoRoot(t)
	a := action{root: root, bin: buildMops(t, root)}

	t.Run("merged unchanged: exactly the reviewed plan is applied", func(t *testing.T) {
		g := newGitHub(t)
		repo, head := pullRequest(t, root)
		reviewed := g.review(t, a, repo, head)
		m := merge(t, repo)
		// GitHub gives the reviews' logins; one approver is not in the
		// RACI and counts for nothing.
		g.merged(m, head, "dana-whitfield", "octocat", "priya-raman")
		r := a.run(t, "apply", repo, g.env(m))
		if r.code != 0 || r.outputs["applied"] != "true" || r.outputs["plan-id"] != reviewed.ID {
			t.Fatalf("apply exited %d, applied=%q, plan %q; stdout:\n%s\nstderr:\n%s", r.code, r.outputs["applied"], r.outputs["plan-id"], r.stdout, r.stderr)
		}
		if got := r.outputs["approved-by"]; got != "@dana-whitfield @octocat @priya-raman" {
			t.Errorf("approved-by %q: only approvals of the reviewed commit count", got)
		}
		recs, problems, err := changelog.Verify(filepath.Join(repo, ".mops", "changelog"))
		if err != nil || len(problems) > 0 {
			t.Fatalf("change log: %v %+v", err, problems)
		}
		var steps []plan.Change
		for _, rec := range recs {
			if rec.PlanID != reviewed.ID || !slices.Equal(rec.Approvers, []string{"@dana-whitfield", "@priya-raman"}) {
				t.Errorf("record %d: plan %s approved by %v, want plan %s by @dana-whitfield, @priya-raman", rec.Seq, rec.PlanID, rec.Approvers, reviewed.ID)
			}
			if rec.Type == changelog.Change {
				steps = append(steps, *rec.Change)
			}
		}
		if diff := plan.Compare(reviewed, &plan.Plan{DesiredHash: reviewed.DesiredHash, Systems: reviewed.Systems, Fingerprints: reviewed.Fingerprints, Changes: steps}); len(diff) > 0 {
			t.Errorf("the steps applied are not the reviewed plan's: %v", diff)
		}
		if strings.Contains(r.outputs["comment-file"], "plan-changed") || r.outputs["plan-changed"] != "" {
			t.Errorf("an unchanged plan asked for a new review: %v", r.outputs)
		}
		calls, _ := os.ReadFile(filepath.Join(g.dir, "calls"))
		if !strings.Contains(string(calls), "run download 4242 --repo acme/governance --name mops-plan-"+head+"-"+reviewed.ID) {
			t.Errorf("apply did not fetch the reviewed plan's artifact:\n%s", calls)
		}
	})

	t.Run("live changed by hand: nothing is applied, the steps that differ are named", func(t *testing.T) {
		g := newGitHub(t)
		repo, head := pullRequest(t, root)
		reviewed := g.review(t, a, repo, head)
		state := filepath.Join(repo, ".mops", "sandbox.json")
		editLabel(t, state, "webinar", "Webinars (edited in HubSpot)")
		before, err := os.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		m := merge(t, repo)
		g.merged(m, head, "dana-whitfield", "priya-raman")
		r := a.run(t, "apply", repo, g.env(m))
		if r.code != 2 || r.outputs["plan-changed"] != "true" {
			t.Fatalf("apply exited %d, plan-changed=%q; want 2 and true; stderr:\n%s", r.code, r.outputs["plan-changed"], r.stderr)
		}
		comment, err := os.ReadFile(r.outputs["comment-file"])
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"### ⛔ mops apply: nothing was applied",
			"The reviewed plan `" + reviewed.ID + "` (made at commit `" + head[:12] + "`) is not the plan the documents on `main` and live give now",
			"sandbox:contacts.lead_source changed in live since the plan was made",
			`the plan lacks step 4 (update sandbox:contacts.lead_source "webinar"), which the documents and live give`,
			"**The plan needs a new review.**",
			"<summary>The plan now</summary>",
		} {
			if !strings.Contains(string(comment), want) {
				t.Errorf("the comment lacks %q:\n%s", want, comment)
			}
		}
		after, err := os.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		if string(after) != string(before) {
			t.Error("a refused apply changed live")
		}
		if recs, _ := changelog.Read(filepath.Join(repo, ".mops", "changelog")); len(recs) > 0 {
			t.Errorf("a refused apply wrote %d change log record(s)", len(recs))
		}
	})

	t.Run("documents changed by the merge: nothing is applied", func(t *testing.T) {
		g := newGitHub(t)
		repo, head := pullRequest(t, root)
		g.review(t, a, repo, head)
		// Meanwhile another pull request changes a taxonomy on main.
		git(t, repo, "checkout", "-q", "main")
		path := filepath.Join(repo, "taxonomies", "region.yaml")
		data, _ := os.ReadFile(path)
		if err := os.WriteFile(path, []byte(strings.Replace(string(data), "label: EMEA\n", "label: Europe, Middle East and Africa\n", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, repo, "commit", "-q", "-am", "another pull request relabels EMEA")
		git(t, repo, "checkout", "-q", "feature")
		m := merge(t, repo)
		g.merged(m, head, "dana-whitfield", "priya-raman")
		r := a.run(t, "apply", repo, g.env(m))
		if r.code != 2 || r.outputs["plan-changed"] != "true" {
			t.Fatalf("apply exited %d, plan-changed=%q; stderr:\n%s", r.code, r.outputs["plan-changed"], r.stderr)
		}
		comment, _ := os.ReadFile(r.outputs["comment-file"])
		if !strings.Contains(string(comment), "the governance documents changed since the plan was made (at commit "+head[:12]+"; the repository is at "+m[:12]+")") {
			t.Errorf("the comment does not say the merge changed the documents:\n%s", comment)
		}
	})

	t.Run("approved on another commit: refused", func(t *testing.T) {
		g := newGitHub(t)
		repo, head := pullRequest(t, root)
		g.review(t, a, repo, head)
		m := merge(t, repo)
		g.merged(m, head) // only marco-bianchi's approval, of an earlier commit
		r := a.run(t, "apply", repo, g.env(m))
		if r.code != 1 || r.outputs["plan-changed"] != "" || !strings.Contains(r.stderr, "apply refused: missing approvals") {
			t.Errorf("apply exited %d, plan-changed=%q; stderr:\n%s", r.code, r.outputs["plan-changed"], r.stderr)
		}
	})
}

// editLabel relabels an option of contacts.lead_source in a sandbox state
// file, as someone would in HubSpot's settings.
func editLabel(t *testing.T, state, value, label string) {
	t.Helper()
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	var st sandbox.State
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	edited := false
	for _, p := range st.Objects["contacts"].Properties {
		for i := range p.Options {
			if p.Name == "lead_source" && p.Options[i].Value == value {
				p.Options[i].Label, edited = label, true
			}
		}
	}
	if !edited {
		t.Fatalf("no option %q of contacts.lead_source in %s", value, state)
	}
	if data, err = json.Marshal(&st); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
