//go:build unix

// Package docs_test runs the documentation: every shell block of README.md
// and docs/*.md is executed against a fresh copy of examples/acme, and
// every command shown after a "$ " prompt must print what the page shows
// (commit ids, hashes, times and durations normalised). A page that has
// drifted from mops fails here, naming the page, the block and the line.
//
// What a page can say to this test, in HTML comments (invisible on GitHub):
//
//	<!-- doctest: skip REASON -->   the next block is not run (a server
//	                                that runs until stopped, a real HubSpot
//	                                account); the reason is required
//	<!-- doctest: setup             shell lines run before the next block,
//	commands                        for state the prose describes (a file
//	-->                             edited by hand)
//	<!-- doctest: write PATH -->    the next block is a file's content that
//	                                the prose says to save at PATH
//
// Blocks run in page order, in one working folder per page: a copy of the
// repository's examples/ as ./examples, with /tmp/NAME in commands mapped to
// a private folder, and mops (and `go run ./cmd/mops`) the binary built
// from this checkout (mops-gen too). A cd in a shell block holds for the blocks after it;
// a cd at a prompt only for the rest of its block.
package docs_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// block is a fenced code block of a page, with what precedes it.
type block struct {
	file  string // page, relative to the repository root
	line  int    // line of the opening fence
	lang  string
	body  []string
	skip  string // reason, from <!-- doctest: skip REASON -->
	setup string // shell lines, from <!-- doctest: setup ... -->
	write string // path, from <!-- doctest: write PATH -->
}

var fence = regexp.MustCompile("^```(\\w*)\\s*$")

// parse splits a page into its fenced blocks.
func parse(file string, src []byte) ([]block, error) {
	var out []block
	var skip, setup, write string
	var inSetup bool
	var setupLines []string
	var cur *block
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur != nil:
			if strings.TrimSpace(line) == "```" {
				out = append(out, *cur)
				cur = nil
				continue
			}
			cur.body = append(cur.body, line)
		case inSetup:
			if strings.TrimSpace(line) == "-->" {
				inSetup, setup = false, strings.Join(setupLines, "\n")
				continue
			}
			setupLines = append(setupLines, line)
		case strings.HasPrefix(line, "<!-- doctest: skip"):
			skip = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "<!-- doctest: skip"), "-->"))
			if skip == "" {
				return nil, fmt.Errorf("%s:%d: doctest: skip needs a reason", file, n)
			}
		case strings.HasPrefix(line, "<!-- doctest: write "):
			write = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "<!-- doctest: write "), "-->"))
		case strings.TrimSpace(line) == "<!-- doctest: setup":
			inSetup, setupLines = true, nil
		default:
			if m := fence.FindStringSubmatch(line); m != nil {
				cur = &block{file: file, line: n, lang: m[1], skip: skip, setup: setup, write: write}
				skip, setup, write = "", "", ""
			}
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: code block never closed", file, cur.line)
	}
	return out, sc.Err()
}

// prompted reports whether the block shows commands after "$ " prompts.
func (b block) prompted() bool {
	for _, l := range b.body {
		if strings.TrimSpace(l) != "" {
			return strings.HasPrefix(l, "$ ")
		}
	}
	return false
}

// step is one prompted command and the output the page shows for it.
type step struct {
	line int // page line of the "$ "
	cmd  string
	want []string
}

// steps splits a prompted block into commands and their output. A command
// continues on the next line after a trailing backslash.
func (b block) steps() []step {
	var out []step
	for i := 0; i < len(b.body); i++ {
		l := b.body[i]
		if !strings.HasPrefix(l, "$ ") {
			if len(out) > 0 {
				out[len(out)-1].want = append(out[len(out)-1].want, l)
			}
			continue
		}
		s := step{line: b.line + 1 + i, cmd: strings.TrimPrefix(l, "$ ")}
		for strings.HasSuffix(s.cmd, "\\") && i+1 < len(b.body) {
			i++
			s.cmd += "\n" + b.body[i]
		}
		out = append(out, s)
	}
	return out
}

// runsShell reports whether a block without prompts is a script to run.
func (b block) runsShell() bool {
	switch b.lang {
	case "sh", "bash", "shell", "console":
		return true
	}
	return false
}

// workspace is where one page's blocks run.
type workspace struct {
	root string // private folder standing for /
	cwd  string
	env  []string
	rc   int // exit code of the last command, for a page's `echo $?`
}

func newWorkspace(t *testing.T, repo, bin string) *workspace {
	t.Helper()
	root := t.TempDir()
	w := &workspace{root: root, cwd: filepath.Join(root, "repo")}
	for _, d := range []string{"tmp", "home", "repo"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyTree(t, filepath.Join(repo, "examples"), filepath.Join(w.cwd, "examples"))
	gitignore, err := os.ReadFile(filepath.Join(repo, ".gitignore"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.cwd, ".gitignore"), gitignore, 0o644); err != nil {
		t.Fatal(err)
	}
	// A clone: paths that mops prints relative to the git root
	// (codeowners, annotations) then read as they do in the repository.
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-qm", "the example"}} {
		git := exec.Command("git", args...)
		git.Dir = w.cwd
		git.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
			"GIT_AUTHOR_NAME=doctest", "GIT_AUTHOR_EMAIL=doctest@mops.invalid", "GIT_COMMITTER_NAME=doctest", "GIT_COMMITTER_EMAIL=doctest@mops.invalid")
		if out, err := git.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	w.env = []string{
		"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + filepath.Join(root, "home"),
		"TMPDIR=" + filepath.Join(root, "tmp"),
		"NO_COLOR=1", "LC_ALL=C.UTF-8",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_AUTHOR_NAME=Dana Whitfield", "GIT_AUTHOR_EMAIL=dana.whitfield@acme.example",
		"GIT_COMMITTER_NAME=Dana Whitfield", "GIT_COMMITTER_EMAIL=dana.whitfield@acme.example",
		"GOFLAGS=" + os.Getenv("GOFLAGS"),
	}
	return w
}

// goRun is how the pages run mops (and mops-gen) from a clone; here they
// are the binaries built from this checkout.
var goRun = regexp.MustCompile(`\bgo run \./cmd/(mops|mops-gen)(\s|$)`)

// local maps a command of the page into the workspace.
func (w *workspace) local(cmd string) string {
	cmd = goRun.ReplaceAllString(cmd, "$1$2")
	return strings.ReplaceAll(cmd, "/tmp/", w.root+"/tmp/")
}

// run runs a shell script in the working folder, keeping a cd it makes,
// and returns its output with the workspace's paths mapped back to the
// page's.
func (w *workspace) run(script string) (string, int, error) {
	pwd := filepath.Join(w.root, ".pwd")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", `cd "$1" || exit 97
(exit "$4")
eval "$2"
rc=$?
pwd >"$3"
exit $rc`, "doctest", w.cwd, w.local(script), pwd, fmt.Sprint(w.rc))
	cmd.Env = w.env
	cmd.Stdin = nil
	// Its own process group, ended whole: a server a page starts must not
	// outlive the test.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code, err = ee.ExitCode(), nil
	}
	if ctx.Err() != nil {
		err = fmt.Errorf("still running after a minute (a server? mark the block <!-- doctest: skip REASON -->)")
	}
	if b, e := os.ReadFile(pwd); e == nil {
		w.cwd = strings.TrimSpace(string(b))
	}
	w.rc = code
	return w.unmap(out.String()), code, err
}

// unmap writes the workspace's paths as the page does.
func (w *workspace) unmap(s string) string {
	s = strings.ReplaceAll(s, w.root+"/tmp/", "/tmp/")
	s = strings.ReplaceAll(s, w.root+"/repo/", "")
	return strings.ReplaceAll(s, w.root, "")
}

var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	// mops version: any version, commit and build time.
	{regexp.MustCompile(`mops \S+ \(commit \S+, built \S+\)`), "mops <version> (commit <commit>, built <time>)"},
	{regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`), "<time>"},
	{regexp.MustCompile(`\b(sha256:)?[0-9a-f]{7,64}\b`), "<hash>"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s)\b`), "<duration>"},
	{regexp.MustCompile(`\bpid \d+ on \S+`), "pid <pid> on <host>"},
}

// normalise blanks what differs from run to run.
func normalise(s string) string {
	for _, v := range volatile {
		s = v.re.ReplaceAllStringFunc(s, func(m string) string {
			if v.with == "<hash>" && !strings.ContainsAny(m, "0123456789") {
				return m // a word such as "deface", not a hash
			}
			return v.re.ReplaceAllString(m, v.with)
		})
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// match compares output lines with the page's, where a line "..." or "…"
// on the page stands for any number of lines. It returns the index of the
// first page line that does not match, or -1.
func match(want, got []string) (int, int) {
	var rec func(i, j int) (int, int)
	rec = func(i, j int) (int, int) {
		for i < len(want) {
			if w := strings.TrimSpace(want[i]); w == "..." || w == "…" {
				for k := j; k <= len(got); k++ {
					if a, b := rec(i+1, k); a < 0 {
						return a, b
					}
				}
				return i, j
			}
			if j >= len(got) || want[i] != got[j] {
				return i, j
			}
			i, j = i+1, j+1
		}
		if j < len(got) {
			return i, j
		}
		return -1, -1
	}
	return rec(0, 0)
}

// inFreeze reports whether now falls in a freeze window of the example,
// in which the pages' applies are refused (by design).
func inFreeze(t *testing.T, repo string, now time.Time) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, "examples", "acme", "mops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Spec struct {
			Freezes []struct {
				Name     string
				From, To time.Time
			}
		}
	}
	if err := yaml.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Spec.Freezes {
		if !now.Before(f.From) && now.Before(f.To) {
			return f.Name
		}
	}
	return ""
}

func TestDocs(t *testing.T) {
	for _, tool := range []string{"bash", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the pages' shell blocks need it", tool)
		}
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "bin", "mops")
	build := exec.Command("go", "build", "-o", filepath.Dir(bin)+string(filepath.Separator), "./cmd/mops", "./cmd/mops-gen")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	pages, err := filepath.Glob(filepath.Join(repo, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append([]string{filepath.Join(repo, "README.md")}, pages...)
	freeze := inFreeze(t, repo, time.Now())
	edits := map[string][]edit{}
	defer writeEdits(t, repo, edits)
	ran, compared, skipped := 0, 0, 0
	for _, page := range pages {
		rel, _ := filepath.Rel(repo, page)
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := parse(rel, src)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(rel, func(t *testing.T) {
			w := newWorkspace(t, repo, bin)
			for _, b := range blocks {
				if b.write != "" {
					path := w.local(b.write)
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(strings.Join(b.body, "\n")+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if !b.prompted() && !b.runsShell() {
					continue
				}
				where := fmt.Sprintf("%s:%d", b.file, b.line)
				if b.skip != "" {
					skipped++
					t.Logf("%s: not run: %s", where, b.skip)
					continue
				}
				text := strings.Join(b.body, "\n")
				if freeze != "" && strings.Contains(text, "mops apply") {
					skipped++
					t.Logf("%s: not run: today is inside the example's freeze %s, which refuses its applies", where, freeze)
					continue
				}
				if b.setup != "" {
					out, code, err := w.run(b.setup)
					if err != nil || code != 0 {
						t.Fatalf("%s: the doctest setup before this block failed (exit %d, %v):\n%s", where, code, err, out)
					}
				}
				ran++
				if !b.prompted() {
					out, code, err := w.run("set -e\n" + text)
					out = normalise(out)
					if err != nil || code != 0 {
						t.Errorf("%s: this shell block exits %d (%v); a reader running it would be stuck:\n%s\noutput:\n%s", where, code, err, text, out)
					}
					continue
				}
				// A cd at a prompt holds for the rest of its block; the
				// next block starts where the page's reader left off.
				cwd := w.cwd
				for _, s := range b.steps() {
					raw, _, err := w.run(s.cmd)
					got := normalise(raw)
					if err != nil {
						t.Errorf("%s:%d: `%s`: %v", b.file, s.line, s.cmd, err)
						continue
					}
					compared++
					want := strings.Split(normalise(strings.Join(s.want, "\n")), "\n")
					gotLines := strings.Split(got, "\n")
					if got == "" {
						gotLines = nil
					}
					if len(want) == 1 && want[0] == "" {
						want = nil
					}
					if i, j := match(want, gotLines); i >= 0 || j >= 0 {
						wl, gl := "(nothing more)", "(nothing more)"
						if i >= 0 && i < len(want) {
							wl = want[i]
						}
						if j >= 0 && j < len(gotLines) {
							gl = gotLines[j]
						}
						docLine := s.line + 1 + max(i, 0) + strings.Count(s.cmd, "\n")
						t.Errorf("%s:%d: the output of `%s` differs from the page at line %d\n  page: %s\n  mops: %s\nwhat mops prints (normalised):\n%s",
							b.file, s.line, s.cmd, docLine, wl, gl, got)
						if *update {
							edits[b.file] = append(edits[b.file], edit{from: s.line + strings.Count(s.cmd, "\n"), to: s.line + strings.Count(s.cmd, "\n") + len(s.want), lines: strings.Split(strings.TrimRight(raw, "\n"), "\n")})
						}
					}
				}
				w.cwd = cwd
			}
		})
	}
	t.Logf("ran %d blocks, compared the output of %d commands, skipped %d blocks", ran, compared, skipped)
}

// update rewrites the output the pages show with what mops prints, for a
// person to review with git diff: go test ./docs -update.
var update = flag.Bool("update", false, "rewrite the output shown in the pages with mops's (review the diff)")

// edit replaces the page lines from+1..to (1-based, inclusive) with lines.
type edit struct {
	from, to int
	lines    []string
}

func writeEdits(t *testing.T, repo string, edits map[string][]edit) {
	for file, es := range edits {
		path := filepath.Join(repo, file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			continue
		}
		lines := strings.Split(string(b), "\n")
		slices.SortFunc(es, func(a, b edit) int { return b.from - a.from })
		for _, e := range es {
			lines = slices.Concat(lines[:e.from], e.lines, lines[e.to:])
		}
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Error(err)
		}
		t.Logf("rewrote %d output(s) in %s; review them with git diff", len(es), file)
	}
}

// copyTree copies src to dst, leaving out .mops folders (local state).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if d.Name() == ".mops" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
