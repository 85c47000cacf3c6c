//go:build unix

package hostile_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mops-dev/mops/engine/cli"
	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
)

// The secret every case plants outside the repository, in a file and in an
// environment variable. No output of any case may hold it.
const (
	marker    = "MOPS-HOSTILE-SECRET-7f3a9c"
	secretEnv = "MOPS_HOSTILE_SECRET"
)

// Bounds every case runs within, unless it says otherwise. They catch a
// hang or a runaway; they are not performance measurements.
const (
	timeBound = 60 * time.Second
	heapBound = 256 << 20
	// outputBound is the most output one run may print: a 4 MB value must
	// not be echoed.
	outputBound = 256 << 10
)

// formats are the formats of `mops validate`; a validate case runs in each.
var formats = []string{"text", "json", "github", "sarif", "junit", "markdown"}

// finding is a finding a validate case must report (in its JSON report):
// rule and file exactly, line when not 0, and a part of the message.
type finding struct {
	rule, file string
	line       int
	msg        string
}

// hostileCase is one thing a pull request's author could try.
type hostileCase struct {
	category, name string
	// git makes the repository a git repository, with what setup wrote
	// committed.
	git   bool
	setup func(w *world)
	// after runs after the commit (a FIFO in a git repository: git would
	// read it).
	after func(w *world)
	// args is the command after "mops"; --dir is added, and {dir} in an
	// argument is the repository's folder. A validate command runs once
	// per format.
	args []string
	code int
	// orCode, when set, is another exit code the case accepts (a limit
	// that a slow machine reaches before another).
	orCode int
	// want are findings a validate case reports; out is text any other
	// command prints (stdout and stderr).
	want []finding
	out  []string
	// check looks at what the run left behind.
	check func(t *testing.T, w *world, out string)
	// probe, for a command that serves until stopped (sandbox serve),
	// sends requests to the address it serves on; the command is then
	// stopped and must exit with code.
	probe func(t *testing.T, base string)
	// heap bounds the run's peak heap growth; 0 means heapBound.
	heap uint64
	// output bounds each output's size; 0 means outputBound.
	output int
}

// world is a case's repository and the folder beside it that holds the
// secrets.
type world struct {
	t       *testing.T
	Dir     string
	Outside string
}

// project is a minimal mops.yaml; spec is added as written.
func project(spec string) string {
	return "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: hostile\nspec:\n" + spec
}

func (w *world) write(files map[string]string) {
	w.t.Helper()
	for name, content := range files {
		p := filepath.Join(w.Dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			w.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			w.t.Fatal(err)
		}
	}
}

// link makes name (in the repository) a symbolic link to target, as
// written.
func (w *world) link(name, target string) {
	w.t.Helper()
	p := filepath.Join(w.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		w.t.Skipf("symbolic links: %v", err)
	}
}

// outside returns the path of name in the outside folder.
func (w *world) outside(name string) string {
	return filepath.Join(w.Outside, filepath.FromSlash(name))
}

// up returns a relative path from folder dir of the repository to name in
// the outside folder: a path that climbs out with "..".
func (w *world) up(dir, name string) string {
	rel, err := filepath.Rel(filepath.Join(w.Dir, filepath.FromSlash(dir)), w.outside(name))
	if err != nil {
		w.t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}

// sparse makes name a file of size bytes that takes no disk space.
func (w *world) sparse(name string, size int64) {
	w.t.Helper()
	p := filepath.Join(w.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	f, err := os.Create(p)
	if err == nil {
		err = f.Truncate(size)
		f.Close()
	}
	if err != nil {
		w.t.Fatal(err)
	}
}

func newWorld(t *testing.T, git bool) (*world, *gitrepotest.Repo) {
	w := &world{t: t, Outside: t.TempDir()}
	var g *gitrepotest.Repo
	if git {
		g = gitrepotest.New(t)
		w.Dir = g.Dir
	} else {
		w.Dir = t.TempDir()
	}
	secrets := map[string]string{
		"secret.yaml": "token: " + marker + "\n",
		"secret.json": `{"version": 1, "objects": {"contacts": {"properties": [{"name": "leak", "label": "` + marker + `", "type": "enumeration", "fieldType": "select", "options": [{"label": "` + marker + `", "value": "x"}]}]}}}` + "\n",
		"leak.rego":   "package mops.leak\n\ndeny contains {\"rule\": \"leak.secret\", \"message\": \"" + marker + "\"} if input.kind == \"Project\"\n",
		"changelog":   `{"seq":1,"note":"` + marker + `"}` + "\n",
	}
	for name, content := range secrets {
		if err := os.WriteFile(w.outside(name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(w.outside("policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.outside("policies/leak.rego"), []byte(secrets["leak.rego"]), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(secretEnv, marker)
	w.write(map[string]string{"mops.yaml": project("  include: [\"**/*.yaml\"]\n")})
	return w, g
}

func TestHostile(t *testing.T) {
	for _, c := range cases() {
		t.Run(c.category+"/"+c.name, func(t *testing.T) { runCase(t, c) })
	}
}

func runCase(t *testing.T, c hostileCase) {
	w, g := newWorld(t, c.git)
	if c.setup != nil {
		c.setup(w)
	}
	if g != nil {
		g.Commit("hostile")
	}
	if c.after != nil {
		c.after(w)
	}
	args := append(slices.Clone(c.args), "--dir", w.Dir)
	for i, a := range args { // a file the case wrote: {dir}/plan.json
		args[i] = strings.ReplaceAll(a, "{dir}", w.Dir)
	}
	if c.probe != nil {
		serve(t, c, args)
		return
	}
	if c.args[0] != "validate" || slices.Contains(c.args, "--format") {
		stdout, stderr, code := invoke(t, c, args)
		out := stdout + stderr
		if code != c.code && (c.orCode == 0 || code != c.orCode) {
			t.Errorf("exit %d, want %d\n%s", code, c.code, out)
		}
		for _, s := range c.out {
			if !strings.Contains(out, s) {
				t.Errorf("output lacks %q:\n%s", s, out)
			}
		}
		inert(t, c, "text", out)
		if c.check != nil {
			c.check(t, w, out)
		}
		return
	}
	for _, f := range formats {
		stdout, stderr, code := invoke(t, c, append(args, "--format", f))
		if code != c.code {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%.2000s\nstderr:\n%.2000s", f, code, c.code, stdout, stderr)
		}
		inert(t, c, f, stdout)
		inert(t, c, f, stderr)
		if f == "json" {
			reported(t, stdout, c.want)
		}
		if c.check != nil {
			c.check(t, w, stdout+stderr)
		}
	}
}

// invoke runs mops in this process, within the case's time and heap
// bounds.
func invoke(t *testing.T, c hostileCase, args []string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := cli.Env{
		Stdout: &stdout, Stderr: &stderr,
		Getenv:     os.Getenv,
		Now:        func() time.Time { return time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC) },
		IsTerminal: func(io.Writer) bool { return false },
	}
	runtime.GC()
	base := heapBytes()
	peak := base
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				peak = max(peak, heapBytes())
			}
		}
	}()
	done := make(chan int, 1)
	go func() { done <- cli.Run(context.Background(), args, env) }()
	var code int
	select {
	case code = <-done:
	case <-time.After(timeBound):
		close(stop)
		t.Fatalf("mops %s did not finish within %s: it hangs", strings.Join(args, " "), timeBound)
	}
	close(stop)
	<-sampled
	limit := c.heap
	if limit == 0 {
		limit = heapBound
	}
	if grew := peak - min(base, peak); grew > limit {
		t.Errorf("mops %s grew the heap by %d MiB, more than %d MiB", strings.Join(args, " "), grew>>20, limit>>20)
	}
	return stdout.String(), stderr.String(), code
}

// serve runs a command that serves until stopped, probes it, stops it.
func serve(t *testing.T, c hostileCase, args []string) {
	t.Helper()
	var out syncBuffer
	env := cli.Env{Stdout: &out, Stderr: &out, Getenv: os.Getenv, Now: time.Now, IsTerminal: func(io.Writer) bool { return false }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- cli.Run(ctx, args, env) }()
	serving := regexp.MustCompile(`serving on (http://\S+) `)
	var base string
	for deadline := time.Now().Add(timeBound); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := serving.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("mops %s exited %d before serving:\n%s", strings.Join(args, " "), code, out.String())
		default:
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("mops %s did not start serving within %s", strings.Join(args, " "), timeBound)
	}
	c.probe(t, base)
	cancel()
	select {
	case code := <-done:
		if code != c.code {
			t.Errorf("exit %d, want %d", code, c.code)
		}
	case <-time.After(timeBound):
		t.Fatalf("mops %s did not stop within %s", strings.Join(args, " "), timeBound)
	}
	inert(t, c, "text", out.String())
}

// syncBuffer is a buffer a serving command writes to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// githubCommand is a workflow command line mops writes itself.
var githubCommand = regexp.MustCompile(`^::(error|warning|notice) (file=[^,:]*,(line=\d+,(col=\d+,)?)?)?title=[^:,]*::`)

// inert checks that output in format f leaks no secret, holds no raw
// character that could forge a terminal or a page, issues no workflow
// command mops did not mean, and is of bounded size.
func inert(t *testing.T, c hostileCase, f, out string) {
	t.Helper()
	if strings.Contains(out, marker) {
		t.Errorf("%s: output holds the secret:\n%.3000s", f, out)
	}
	if limit := cmp.Or(c.output, outputBound); len(out) > limit {
		t.Errorf("%s: %d bytes of output, more than %d: a value is echoed whole", f, len(out), limit)
	}
	if !utf8.ValidString(out) {
		t.Errorf("%s: output is not valid UTF-8", f)
	}
	for i, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Errorf("%s: raw %U at byte %d: %.200q", f, r, i, out[max(0, i-80):min(len(out), i+80)])
			break
		}
	}
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(trimmed, "::") && (f != "github" || !githubCommand.MatchString(line)) {
			t.Errorf("%s: a line the GitHub runner takes for a workflow command: %.200q", f, line)
		}
	}
}

// reported checks that the JSON report holds each wanted finding.
func reported(t *testing.T, stdout string, want []finding) {
	t.Helper()
	var r struct {
		Findings []struct {
			Rule, File, Message string
			Line                int
		}
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		if len(want) > 0 {
			t.Errorf("json: not a report (%v):\n%.2000s", err, stdout)
		}
		return
	}
	for _, w := range want {
		found := false
		for _, f := range r.Findings {
			if f.Rule == w.rule && f.File == w.file && (w.line == 0 || f.Line == w.line) && strings.Contains(f.Message, w.msg) {
				found = true
				break
			}
		}
		if !found {
			var got []string
			for _, f := range r.Findings {
				got = append(got, fmt.Sprintf("%s %s:%d %.300s", f.Rule, f.File, f.Line, f.Message))
			}
			t.Errorf("no finding %s at %s:%d with %q; got:\n  %s", w.rule, w.file, w.line, w.msg, strings.Join(got, "\n  "))
		}
	}
}

// absent checks that the outside folder holds no file called name: mops
// wrote nothing there.
func absent(name string) func(t *testing.T, w *world, _ string) {
	return func(t *testing.T, w *world, _ string) {
		t.Helper()
		if _, err := os.Lstat(w.outside(name)); err == nil {
			t.Errorf("mops wrote %s outside the repository", w.outside(name))
		}
	}
}
