// Package workflows_test checks the GitHub side of mops: every workflow and
// action in the repository passes actionlint, and the composite action's
// shell half (.github/actions/mops/run.sh) produces the pull-request comment,
// the SARIF file and the apply it is meant to, run locally against a copy of
// examples/acme with no GitHub involved.
package workflows_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"gopkg.in/yaml.v3"
)

// repoRoot returns the root of the mops repository (two folders up).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found: %v", err)
	}
	return root
}

// githubRoots are the folders that are a GitHub repository's root: mops
// itself, and the example, which adopters copy as a repository of its own
// (so actionlint must look for its config and local actions there).
func githubRoots(root string) []string {
	return []string{root, filepath.Join(root, "examples", "acme")}
}

// newLinter returns an actionlint linter writing its report to out.
// shellcheck and pyflakes check run: scripts when they are installed; the
// test says so when they are not.
func newLinter(t *testing.T, out *bytes.Buffer, cwd string) *actionlint.Linter {
	t.Helper()
	opts := &actionlint.LinterOptions{Color: actionlint.ColorOptionKindNever, WorkingDir: cwd}
	if p, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = p
	} else {
		t.Log("shellcheck is not installed: run: scripts are linted without it")
	}
	if p, err := exec.LookPath("pyflakes"); err == nil {
		opts.Pyflakes = p
	}
	l, err := actionlint.NewLinter(out, opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// yamlFiles lists the .yml and .yaml files of dir (not recursive).
func yamlFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	return files
}

func TestWorkflowsPassActionlint(t *testing.T) {
	root := repoRoot(t)
	for _, gh := range githubRoots(root) {
		rel, _ := filepath.Rel(root, gh)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			files := yamlFiles(t, filepath.Join(gh, ".github", "workflows"))
			if len(files) == 0 {
				t.Fatalf("no workflow in %s/.github/workflows", rel)
			}
			proj, err := actionlint.NewProject(gh)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			errs, err := newLinter(t, &out, root).LintFiles(files, proj)
			if err != nil {
				t.Fatal(err)
			}
			if len(errs) > 0 {
				t.Errorf("actionlint found %d problem(s):\n%s", len(errs), out.String())
			}
		})
	}
}

// mopsActionRef matches how adopters' workflows use the mops action.
var mopsActionRef = regexp.MustCompile(`mops-dev/mops/\.github/actions/mops@\S+`)

// TestExampleUsesTheActionCorrectly lints the example workflow as if it
// used the action from this checkout: actionlint then checks its with:
// inputs and the outputs it reads against action.yml, which it cannot do
// for a remote action.
func TestExampleUsesTheActionCorrectly(t *testing.T) {
	root := repoRoot(t)
	files := yamlFiles(t, filepath.Join(root, "examples", "acme", ".github", "workflows"))
	proj, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		if !mopsActionRef.Match(src) {
			t.Errorf("%s does not use mops-dev/mops/.github/actions/mops", rel)
			continue
		}
		local := mopsActionRef.ReplaceAll(src, []byte("./.github/actions/mops"))
		var out bytes.Buffer
		errs, err := newLinter(t, &out, root).Lint(rel+" (with the action of this checkout)", local, proj)
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) > 0 {
			t.Errorf("actionlint found %d problem(s):\n%s", len(errs), out.String())
		}
	}
}

// actionMetadata is the part of action.yml this test checks.
type actionMetadata struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Inputs      map[string]struct {
		Description string `yaml:"description"`
		Default     any    `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string           `yaml:"using"`
		Steps []map[string]any `yaml:"steps"`
	} `yaml:"runs"`
}

// TestActionsPassActionlint checks every composite action: its metadata,
// and its steps, which actionlint lints only inside a workflow; so the
// steps are put in a workflow_call workflow whose inputs are the action's
// inputs and whose job outputs are the action's outputs.
func TestActionsPassActionlint(t *testing.T) {
	root := repoRoot(t)
	var actions []string
	for _, gh := range githubRoots(root) {
		for _, pat := range []string{"action.yml", "action.yaml"} {
			m, err := filepath.Glob(filepath.Join(gh, ".github", "actions", "*", pat))
			if err != nil {
				t.Fatal(err)
			}
			actions = append(actions, m...)
		}
	}
	if !slices.Contains(actions, filepath.Join(root, ".github", "actions", "mops", "action.yml")) {
		t.Fatalf("the mops action is missing: found %v", actions)
	}
	proj, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range actions {
		rel, _ := filepath.Rel(root, path)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var md actionMetadata
			if err := yaml.Unmarshal(src, &md); err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			checkMetadata(t, rel, md)
			wf, err := stepsAsWorkflow(md)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			errs, err := newLinter(t, &out, root).Lint(rel+" (steps as a workflow)", wf, proj)
			if err != nil {
				t.Fatal(err)
			}
			if len(errs) > 0 {
				t.Errorf("actionlint found %d problem(s) in the steps of %s:\n%s\nthe workflow linted:\n%s", len(errs), rel, out.String(), wf)
			}
		})
	}
}

// checkMetadata checks what GitHub requires of a composite action and what
// actionlint does not check: descriptions, output values, a shell for
// every run step.
func checkMetadata(t *testing.T, rel string, md actionMetadata) {
	t.Helper()
	if md.Name == "" || md.Description == "" {
		t.Errorf("%s: name and description are required", rel)
	}
	if md.Runs.Using != "composite" {
		t.Fatalf("%s: runs.using is %q; this test knows composite actions only", rel, md.Runs.Using)
	}
	for name, in := range md.Inputs {
		if in.Description == "" {
			t.Errorf("%s: input %s has no description", rel, name)
		}
	}
	for name, o := range md.Outputs {
		if o.Description == "" || o.Value == "" {
			t.Errorf("%s: output %s needs a description and a value", rel, name)
		}
	}
	for i, s := range md.Runs.Steps {
		if _, ok := s["run"]; ok {
			if sh, _ := s["shell"].(string); sh == "" {
				t.Errorf("%s: step %d (%v) runs a script without shell:, which composite actions require", rel, i+1, s["name"])
			}
		}
	}
}

// stepsAsWorkflow wraps a composite action's steps in a workflow.
func stepsAsWorkflow(md actionMetadata) ([]byte, error) {
	inputs := map[string]any{}
	for name, in := range md.Inputs {
		inputs[name] = map[string]any{"description": in.Description, "type": "string", "required": false}
	}
	outputs := map[string]string{}
	for name, o := range md.Outputs {
		outputs[name] = o.Value
	}
	wf := map[string]any{
		"name": fmt.Sprintf("the steps of action %q", md.Name),
		"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{
			"action": map[string]any{
				"runs-on": "ubuntu-latest",
				"outputs": outputs,
				"steps":   md.Runs.Steps,
			},
		},
	}
	return yaml.Marshal(wf)
}

// TestActionScriptsPassShellcheck runs shellcheck on the action's scripts
// (actionlint only sees the run: lines that call them).
func TestActionScriptsPassShellcheck(t *testing.T) {
	root := repoRoot(t)
	scripts, err := filepath.Glob(filepath.Join(root, ".github", "actions", "*", "*.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) == 0 {
		t.Fatal("no scripts in .github/actions")
	}
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skipf("shellcheck is not installed (apt-get install shellcheck): %d action scripts not checked", len(scripts))
	}
	cmd := exec.Command(sc, append([]string{"--shell=bash", "--severity=style"}, scripts...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("shellcheck %s: %v\n%s", strings.Join(scripts, " "), err, out)
	}
}

// usesLine matches a step's uses: and the comment after it.
var usesLine = regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$`)

// pinned is an action reference by full commit id.
var pinned = regexp.MustCompile(`^[^@]+@[0-9a-f]{40}$`)

// TestActionsArePinnedByCommit checks that every third-party action the
// workflows and the composite action use is pinned by commit, with a
// comment naming the release (a tag can be moved to other code; a commit
// cannot). Local actions and mops's own action are exempt: the example
// uses mops-dev/mops/...@v1 on purpose, since the action installs the mops
// release of its own tag.
func TestActionsArePinnedByCommit(t *testing.T) {
	root := repoRoot(t)
	var files []string
	for _, gh := range githubRoots(root) {
		files = append(files, yamlFiles(t, filepath.Join(gh, ".github", "workflows"))...)
		m, _ := filepath.Glob(filepath.Join(gh, ".github", "actions", "*", "action.y*ml"))
		files = append(files, m...)
	}
	checked := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		for _, m := range usesLine.FindAllStringSubmatch(string(src), -1) {
			ref, comment := m[1], m[2]
			if strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "mops-dev/mops/") {
				continue
			}
			checked++
			if !pinned.MatchString(ref) {
				t.Errorf("%s: uses %s: pin it by commit id (uses: owner/repo@<40 hex> # vX.Y.Z)", rel, ref)
			} else if !regexp.MustCompile(`^#\s*v\d`).MatchString(comment) {
				t.Errorf("%s: uses %s without a comment naming its release (# vX.Y.Z)", rel, ref)
			}
		}
	}
	if checked == 0 {
		t.Fatal("found no third-party action to check; is the uses: pattern wrong?")
	}
}
