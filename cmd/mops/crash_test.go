//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

// TestKilledApply runs the real mops binary against a HubSpot API (the
// sandbox, served by this test) and kills it with SIGKILL at every write
// to live: as the write arrives (its intent recorded, live not written),
// once live has taken it but before mops hears back (live written, the
// outcome not recorded), and at the request after it (the step recorded),
// including between the two batches of a migration. After each kill the
// change log must be an intact chain with exactly the expected write open,
// mops log --verify must report it, mops log --resolve must record it as
// recovered exactly when live holds it, and a fresh plan must converge
// with every record moved once.
func TestKilledApply(t *testing.T) {
	bin := buildMops(t, "builds mops and runs it about a hundred times")
	// The writes of the plan, in order: step 1 adds an option, step 2
	// relabels one, step 3 moves 162 records in two batches (100, 62),
	// step 4 hides the old value, step 5 removes an undeclared one.
	stepOf := map[int]int{1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 5}
	type point struct {
		write int
		when  string // before, after, next
		// open is the step whose write the kill leaves without an
		// outcome (0: none), and recovered whether live holds it.
		open      int
		recovered bool
	}
	var points []point
	for w := 1; w <= 6; w++ {
		// Killed after the first batch, live holds 100 of 162 records:
		// the migration is not done.
		points = append(points, point{w, "before", stepOf[w], false}, point{w, "after", stepOf[w], w != 3})
	}
	points = append(points,
		point{1, "next", 0, false}, // at step 2's first read: a step boundary
		point{2, "next", 3, false}, // a migration records its intent before its first read
		point{5, "next", 0, false}, // at step 5's record count: a step boundary
	)
	for _, pt := range points {
		t.Run(fmt.Sprintf("%s write %d", pt.when, pt.write), func(t *testing.T) {
			t.Parallel()
			c := newCrashCase(t, bin)
			c.run(t, 0, "plan", "--system", "sandbox", "--out", c.plan)
			c.srv.arm(pt.write, pt.when)
			c.run(t, -1, "apply", c.plan, "--approved-by", "dana-whitfield", "--approved-by", "priya-raman")
			if !c.srv.killed() {
				t.Fatal("the apply was never killed")
			}

			recs, problems, err := changelog.Verify(c.log)
			if err != nil || len(problems) > 0 {
				t.Fatalf("change log after the kill: %v %+v", err, problems)
			}
			pending := changelog.Pending(recs)
			open := pt.open > 0
			switch {
			case open && (len(pending) != 1 || pending[0].Change.Seq != pt.open):
				t.Fatalf("open intents %+v, want step %d's", pending, pt.open)
			case !open && len(pending) != 0:
				t.Fatalf("open intents %+v after a kill at a step boundary", pending)
			}
			verify := c.run(t, map[bool]int{true: 1, false: 0}[open], "log", "--verify")
			if open != strings.Contains(verify, "INCOMPLETE: 1 write(s) to live have an intent and no outcome") {
				t.Errorf("mops log --verify:\n%s", verify)
			}

			resolved := c.run(t, 0, "log", "--resolve")
			want := []string{"the run: interrupted ("}
			if open {
				want = append(want, map[bool]string{true: ": recovered (", false: ": not-applied ("}[pt.recovered])
			}
			for _, w := range want {
				if !strings.Contains(resolved, w) {
					t.Errorf("mops log --resolve does not say %q:\n%s", w, resolved)
				}
			}
			recs, problems, err = changelog.Verify(c.log)
			if err != nil || len(problems) > 0 || len(changelog.Pending(recs)) > 0 || len(changelog.Unfinished(recs)) > 0 {
				t.Fatalf("change log after resolving: %v %+v\n%s", err, problems, c.run(t, 0, "log"))
			}

			c.run(t, 0, "plan", "--system", "sandbox", "--out", c.plan)
			c.run(t, 0, "apply", c.plan, "--approved-by", "dana.whitfield@acme.example", "--approved-by", "@priya-raman")
			c.run(t, 0, "plan", "--system", "sandbox", "--detailed-exitcode")
			for _, id := range c.tradeShow {
				if v, _ := c.srv.sb.RecordValues("contacts", id); v["lead_source"] != "event" {
					t.Errorf("contact %s holds %q, want event", id, v["lead_source"])
				}
			}
		})
	}
}

// crashCase is a governance repository whose system sandbox is a HubSpot
// API served by the test.
type crashCase struct {
	bin, dir, plan, log string
	srv                 *killServer
	tradeShow           []string
	mu                  sync.Mutex
	child               *exec.Cmd
	exited              chan struct{} // closed when child is reaped
}

func newCrashCase(t *testing.T, bin string) *crashCase {
	t.Helper()
	root, err := filepath.Abs("../../examples/acme")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && (rel == ".mops" || rel == ".github") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}

	var st sandbox.State
	data, err := os.ReadFile(filepath.Join(root, "live", "sandbox-seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	c := &crashCase{bin: bin, dir: dir, plan: filepath.Join(dir, "plan.json"), log: filepath.Join(dir, ".mops", "changelog")}
	for _, r := range st.Objects["contacts"].Records {
		if r.Properties["lead_source"] == "trade_show" {
			c.tradeShow = append(c.tradeShow, r.ID)
		}
	}
	for i := range 150 {
		id := fmt.Sprint(9000 + i)
		st.Objects["contacts"].Records = append(st.Objects["contacts"].Records, &sandbox.Record{ID: id, Properties: map[string]string{"lead_source": "trade_show"}})
		c.tradeShow = append(c.tradeShow, id)
	}
	sb, err := sandbox.FromState(&st, sandbox.WithToken("crash-test-token"), sandbox.WithLimits(sandbox.Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	c.srv = &killServer{sb: sb, kill: c.kill}
	hs := httptest.NewServer(c.srv)
	t.Cleanup(hs.Close)

	// The system the documents bind as "sandbox" is this HubSpot API; no
	// freeze window gets in the way.
	project, err := os.ReadFile(filepath.Join(dir, "mops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	system := "    - name: sandbox\n      type: hubspot\n      baseURL: " + hs.URL + "\n      tokenEnv: MOPS_CRASH_TOKEN\n"
	y := regexp.MustCompile(`(?s)    - name: sandbox\n.*?(    - name: salesforce-sandbox)`).ReplaceAllString(string(project), strings.ReplaceAll(system, "$", "$$")+"$1")
	y = regexp.MustCompile(`(?s)  freezes:.*`).ReplaceAllString(y, "")
	if err := os.WriteFile(filepath.Join(dir, "mops.yaml"), []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	return c
}

// run runs mops in the case's repository and checks its exit code (-1:
// killed). It returns standard output.
func (c *crashCase) run(t *testing.T, code int, args ...string) string {
	t.Helper()
	cmd := exec.Command(c.bin, append(args, "--dir", c.dir)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "NO_COLOR=1", "MOPS_CRASH_TOKEN=crash-test-token", "MOPS_ACTOR=ci"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	exited := make(chan struct{})
	c.mu.Lock()
	err := cmd.Start()
	c.child, c.exited = cmd, exited
	c.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	close(exited)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode() // -1 when killed by a signal
	} else if err != nil {
		t.Fatal(err)
	}
	if got != code {
		t.Fatalf("mops %s exited %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), got, code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// kill sends SIGKILL to the running mops and waits until it is gone, so
// that it runs no further code.
func (c *crashCase) kill() {
	c.mu.Lock()
	p, exited := c.child.Process, c.exited
	c.mu.Unlock()
	_ = p.Kill()
	<-exited
}

// killServer serves the sandbox's HubSpot API and, once armed, kills the
// client at a write.
type killServer struct {
	sb   *sandbox.Sandbox
	kill func()

	mu     sync.Mutex
	armed  bool
	target int    // the write to kill at, counting from 1
	when   string // "before" it, "after" it, at the request "next" after it
	writes int
	done   bool
}

func (s *killServer) arm(write int, when string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed, s.target, s.when, s.writes = true, write, when, 0
}

func (s *killServer) killed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// isWrite tells the API's writes from its reads (a search is a POST but
// reads).
func isWrite(r *http.Request) bool {
	return r.Method == http.MethodPatch || r.Method == http.MethodDelete ||
		(r.Method == http.MethodPost && !strings.HasSuffix(r.URL.Path, "/search"))
}

func (s *killServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.armed || s.done {
		s.sb.ServeHTTP(w, r)
		return
	}
	if s.when == "next" && s.writes == s.target {
		s.die(w)
		return
	}
	if !isWrite(r) {
		s.sb.ServeHTTP(w, r)
		return
	}
	s.writes++
	switch {
	case s.writes != s.target || s.when == "next":
		s.sb.ServeHTTP(w, r)
	case s.when == "before":
		s.die(w)
	default: // after: live takes the write, mops never hears of it
		rec := httptest.NewRecorder()
		s.sb.ServeHTTP(rec, r)
		s.die(w)
	}
}

func (s *killServer) die(w http.ResponseWriter) {
	s.kill()
	s.done = true
	w.WriteHeader(http.StatusServiceUnavailable)
}

// buildMops builds the mops binary into a temporary folder and returns its
// path; with -short it skips the test instead, saying why.
func buildMops(t *testing.T, why string) string {
	t.Helper()
	if testing.Short() {
		t.Skip(why)
	}
	bin := filepath.Join(t.TempDir(), "mops")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
