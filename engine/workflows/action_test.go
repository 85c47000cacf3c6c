package workflows_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// commentLimit is GitHub's limit on a comment body, in characters.
const commentLimit = 65536

// actionRun is one run of run.sh.
type actionRun struct {
	code    int               // run.sh's exit code
	outputs map[string]string // what it wrote to GITHUB_OUTPUT
	stdout  string
	stderr  string
}

// body returns the comment file the run produced.
func (r actionRun) body(t *testing.T) string {
	t.Helper()
	path := r.outputs["comment-file"]
	if path == "" {
		t.Fatalf("no comment-file output; stderr:\n%s", r.stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// action runs the composite action's shell steps the way action.yml does,
// with env standing in for the action's inputs.
type action struct {
	root string // the mops repository
	bin  string // the mops binary
}

func (a action) run(t *testing.T, command, dir string, env map[string]string) actionRun {
	t.Helper()
	tmp := t.TempDir()
	ghOutput := filepath.Join(tmp, "github-output")
	cmd := exec.Command("bash", filepath.Join(a.root, ".github", "actions", "mops", "run.sh"), command)
	cmd.Dir = dir
	cmd.Env = append(baseEnv(),
		"MOPS_BIN="+a.bin,
		"MOPS_DIR="+dir,
		"MOPS_OUT_DIR="+filepath.Join(tmp, "out"),
		"GITHUB_OUTPUT="+ghOutput,
	)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := actionRun{outputs: map[string]string{}, stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if f, err := os.Open(ghOutput); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok {
				r.outputs[k] = v
			}
		}
	}
	if got := r.outputs["exit-code"]; got != strconv.Itoa(r.code) {
		t.Errorf("exit-code output %q, run.sh exited %d; stderr:\n%s", got, r.code, r.stderr)
	}
	return r
}

// baseEnv is the environment of run.sh: the machine's PATH and HOME, and
// nothing of a CI runner's (GITHUB_*, RUNNER_*, MOPS_*) that would change
// what the script does.
func baseEnv() []string {
	env := []string{"NO_COLOR=1", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull}
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// needTools skips the test, saying why, when a tool the action's shell
// steps need is missing (GitHub's runners have all of them).
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the action's shell steps need it", tool)
		}
	}
}

// buildMops builds cmd/mops into a temporary folder.
func buildMops(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mops")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/mops")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/mops: %v\n%s", err, out)
	}
	return bin
}

// git runs git in dir with a fixed identity.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{
		"-c", "user.name=mops test", "-c", "user.email=test@mops.invalid",
		"-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
	}, args...)...)
	cmd.Dir = dir
	cmd.Env = baseEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// acmeRepo copies examples/acme (without its local .mops state) into a new
// git repository with two commits: the base lacks the lead-source taxonomy,
// the head adds it, so a diff from HEAD~1 has something to show. edit, if
// not nil, changes the copy before the first commit.
func acmeRepo(t *testing.T, root string, edit func(dir string)) string {
	t.Helper()
	src := filepath.Join(root, "examples", "acme")
	dir := filepath.Join(t.TempDir(), "acme")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() && (rel == ".mops" || rel == ".github") {
			return filepath.SkipDir
		}
		target := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	// mops keeps the sandbox's state and its locks under .mops; an adopter's
	// repository ignores them (and commits the change log).
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".mops/sandbox.json\n.mops/locks/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(dir)
	}
	taxonomy := filepath.Join(dir, "taxonomies", "lead-source.yaml")
	held, err := os.ReadFile(taxonomy)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(taxonomy); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "base: acme without the lead-source taxonomy")
	if err := os.WriteFile(taxonomy, held, 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "head: add the lead-source taxonomy")
	return dir
}

// sections splits a comment body at its <!-- mops:NAME --> markers.
func sections(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	names := []string{"validate", "diff", "plan"}
	for i, name := range names {
		start := strings.Index(body, "<!-- mops:"+name+" -->")
		if start < 0 {
			t.Fatalf("the comment has no %s section:\n%s", name, body)
		}
		end := strings.LastIndex(body, "\n---\n")
		if i+1 < len(names) {
			end = strings.Index(body, "<!-- mops:"+names[i+1]+" -->")
		}
		if end < start {
			t.Fatalf("the %s section is out of order:\n%s", name, body)
		}
		out[name] = body[start:end]
	}
	return out
}

func TestActionShellSteps(t *testing.T) {
	needTools(t, "bash", "git", "go")
	root := repoRoot(t)
	a := action{root: root, bin: buildMops(t, root)}

	t.Run("review", func(t *testing.T) {
		repo := acmeRepo(t, root, nil)
		first := a.run(t, "review", repo, map[string]string{"MOPS_BASE": "HEAD~1"})
		if first.code != 0 {
			t.Fatalf("review of a clean repository exited %d; stderr:\n%s", first.code, first.stderr)
		}
		body := first.body(t)
		if !strings.HasPrefix(body, "<!-- mops:sticky -->\n") {
			t.Errorf("the comment does not start with the sticky marker:\n%.200s", body)
		}
		if n := utf8.RuneCountInString(body); n > commentLimit {
			t.Errorf("the comment has %d characters, over GitHub's %d", n, commentLimit)
		}
		s := sections(t, body)
		if !strings.Contains(s["validate"], "mops validate: clean") {
			t.Errorf("the validate section has no clean summary:\n%s", s["validate"])
		}
		if strings.Contains(s["diff"], "diff unavailable:") {
			// mops diff is being finished in parallel: the script says why
			// the section is missing and the rest of the review still works.
			line := s["diff"][strings.Index(s["diff"], "diff unavailable:"):]
			line, _, _ = strings.Cut(line, "\n")
			t.Logf("NOTE: the diff section degraded (%s); re-run when mops diff lands", line)
		} else if !strings.Contains(s["diff"], "lead-source") {
			t.Errorf("the diff section does not mention the lead-source taxonomy added since HEAD~1:\n%s", s["diff"])
		}
		for _, want := range []string{"mops plan", "sandbox", "5 change(s)", "sales_prospecting", "migrate-records"} {
			if !strings.Contains(s["plan"], want) {
				t.Errorf("the plan section lacks %q:\n%s", want, s["plan"])
			}
		}
		if first.stdout != "" {
			t.Errorf("review printed to stdout (the job log takes only annotations there):\n%s", first.stdout)
		}

		// The same pull request gives the same body: the comment is updated
		// in place, never posted twice or rewritten for nothing.
		second := a.run(t, "review", repo, map[string]string{"MOPS_BASE": "HEAD~1"})
		if again := second.body(t); again != body {
			t.Errorf("a second run gave another body:\n--- first\n%s\n--- second\n%s", body, again)
		}

		// A small limit cuts every section and still leaves a well-formed
		// comment that starts with the marker.
		cut := a.run(t, "review", repo, map[string]string{"MOPS_BASE": "HEAD~1", "MOPS_COMMENT_LIMIT": "800"})
		small := cut.body(t)
		if n := utf8.RuneCountInString(small); n > 800 {
			t.Errorf("with a limit of 800 the comment has %d characters", n)
		}
		if !strings.HasPrefix(small, "<!-- mops:sticky -->\n<!-- mops:plan-id:"+first.outputs["plan-id"]+" -->\n") || !strings.Contains(small, "Cut to fit") {
			t.Errorf("the cut comment lacks the markers (sticky, plan id) or the note:\n%s", small)
		}
		if strings.Count(small, "<details") != strings.Count(small, "</details>") {
			t.Errorf("the cut comment leaves a <details> open:\n%s", small)
		}
		sections(t, small)
	})

	t.Run("review without secrets", func(t *testing.T) {
		repo := acmeRepo(t, root, nil)
		r := a.run(t, "review", repo, map[string]string{
			"MOPS_BASE": "HEAD~1", "MOPS_PLAN": "false", "MOPS_PLAN_SKIPPED": "pull requests from forks get no secrets",
		})
		if r.code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		s := sections(t, r.body(t))
		if !strings.Contains(s["plan"], "Plan skipped: pull requests from forks get no secrets") || strings.Contains(s["plan"], "sales_prospecting") {
			t.Errorf("the plan section should only say why it was skipped:\n%s", s["plan"])
		}
	})

	t.Run("review with a deny finding", func(t *testing.T) {
		repo := acmeRepo(t, root, nil)
		broken := "apiVersion: mops.dev/v1\nkind: Taxonomy\nmetadata:\n  name: Not A Name\nspec: {}\n"
		if err := os.WriteFile(filepath.Join(repo, "taxonomies", "broken.yaml"), []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		r := a.run(t, "review", repo, map[string]string{"MOPS_BASE": "HEAD~1"})
		if r.code != 1 {
			t.Errorf("review of a repository with a deny finding exited %d, want 1 (the check fails)", r.code)
		}
		s := sections(t, r.body(t))
		if !strings.Contains(s["validate"], "failed") || !strings.Contains(s["validate"], "broken.yaml") {
			t.Errorf("the validate section does not show the deny finding:\n%s", s["validate"])
		}
		if !strings.Contains(s["plan"], "Plan skipped") {
			t.Errorf("the plan of a repository that does not validate should be skipped:\n%s", s["plan"])
		}
	})

	t.Run("validate", func(t *testing.T) {
		repo := acmeRepo(t, root, nil)
		r := a.run(t, "validate", repo, nil)
		if r.code != 0 {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
		b, err := os.ReadFile(r.outputs["sarif-file"])
		if err != nil {
			t.Fatalf("sarif-file output: %v", err)
		}
		var sarif struct {
			Version string `json:"version"`
			Runs    []any  `json:"runs"`
		}
		if err := json.Unmarshal(b, &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
			t.Errorf("sarif-file is not SARIF 2.1.0 with one run (%v):\n%.300s", err, b)
		}
	})

	t.Run("apply", func(t *testing.T) {
		// The example's year-end freeze would refuse the apply in late
		// December; this test is about the script, not about freezes.
		repo := acmeRepo(t, root, dropFreezes(t))
		review := a.run(t, "review", repo, map[string]string{"MOPS_BASE": "HEAD~1"})
		// A workflow that fetched the reviewed plan itself passes it and
		// the approvers, any identity of each.
		env := map[string]string{
			"MOPS_REVIEWED_PLAN": review.outputs["plan-file"],
			"MOPS_APPROVED_BY":   "dana.whitfield@acme.example, priya-raman",
			"MOPS_ACTOR":         "ci",
		}
		r := a.run(t, "apply", repo, env)
		if r.code != 0 || r.outputs["applied"] != "true" || r.outputs["plan-id"] != review.outputs["plan-id"] {
			t.Fatalf("apply exited %d, applied=%q, plan %q; stdout:\n%s\nstderr:\n%s", r.code, r.outputs["applied"], r.outputs["plan-id"], r.stdout, r.stderr)
		}
		if got := r.outputs["approved-by"]; got != "dana.whitfield@acme.example priya-raman" {
			t.Errorf("approved-by output %q", got)
		}
		if got, want := r.outputs["changelog-file"], filepath.Join(repo, ".mops", "changelog"); got != want {
			t.Errorf("changelog-file output %q, want %q", got, want)
		}
		if _, err := os.Stat(r.outputs["changelog-file"]); err != nil {
			t.Errorf("no change log after apply: %v", err)
		}
		// The next review's plan changes nothing, and neither does its apply.
		review = a.run(t, "review", repo, map[string]string{"MOPS_BASE": "HEAD~1"})
		env["MOPS_REVIEWED_PLAN"] = review.outputs["plan-file"]
		again := a.run(t, "apply", repo, env)
		if again.code != 0 || again.outputs["applied"] != "false" {
			t.Errorf("applying an empty reviewed plan: exit %d, applied=%q; stderr:\n%s", again.code, again.outputs["applied"], again.stderr)
		}
	})

	t.Run("drift", func(t *testing.T) {
		repo := acmeRepo(t, root, nil)
		r := a.run(t, "drift", repo, nil)
		if r.outputs["drift"] == "unknown" && strings.Contains(r.stderr, "has no drift command") {
			// mops drift is being built in parallel; the script refuses
			// clearly instead of mistaking "unknown command" (exit 2) for drift.
			t.Logf("NOTE: this mops has no drift command yet; run.sh exited %d with drift=unknown", r.code)
			if r.code != 1 {
				t.Errorf("without a drift command run.sh should exit 1, not %d", r.code)
			}
			return
		}
		// The example's sandbox seed differs from the repository in the
		// five ways the plan changes.
		if r.code != 2 || r.outputs["drift"] != "true" {
			t.Fatalf("drift exited %d, drift=%q; stderr:\n%s", r.code, r.outputs["drift"], r.stderr)
		}
		b, err := os.ReadFile(r.outputs["output-file"])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "print_ad") || utf8.RuneCount(b) > commentLimit {
			t.Errorf("the drift report (the issue body) does not name print_ad or is too long:\n%s", b)
		}
	})

	t.Run("approvers", func(t *testing.T) {
		needTools(t, "jq")
		reviews, err := filepath.Abs(filepath.Join("testdata", "reviews.json"))
		if err != nil {
			t.Fatal(err)
		}
		r := a.run(t, "approvers", t.TempDir(), map[string]string{"MOPS_REVIEWS_FILE": reviews})
		// dana approved (a later comment does not undo it), erin approved
		// after asking for changes; bob asked for changes after approving,
		// carol only commented, frank's approval was dismissed, gus's review
		// is pending and a deleted account approves nothing.
		if got := r.outputs["approved-by"]; got != "@dana @erin" {
			t.Errorf("approved-by %q, want %q; stderr:\n%s", got, "@dana @erin", r.stderr)
		}
	})
}

// dropFreezes returns an edit that removes spec.freezes from mops.yaml.
func dropFreezes(t *testing.T) func(dir string) {
	return func(dir string) {
		t.Helper()
		path := filepath.Join(dir, "mops.yaml")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		spec := mapValue(doc.Content[0], "spec")
		if spec == nil {
			t.Fatal("mops.yaml has no spec")
		}
		for i := 0; i+1 < len(spec.Content); i += 2 {
			if spec.Content[i].Value == "freezes" {
				spec.Content = append(spec.Content[:i], spec.Content[i+2:]...)
				break
			}
		}
		out, err := yaml.Marshal(&doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// mapValue returns the value of key in a YAML mapping node.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
