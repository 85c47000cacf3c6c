package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/changelog"
	"github.com/mops-dev/mops/engine/live"
	"github.com/mops-dev/mops/engine/live/hubspot"
	"github.com/mops-dev/mops/engine/live/sandbox"
	"github.com/mops-dev/mops/engine/plan"
)

var (
	// inFreeze is inside the example's fy26-year-end freeze window.
	inFreeze = time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)
	leadSrc  = live.Binding{System: "sandbox", Object: "contacts", Property: "lead_source"}
)

// planned copies the example repository and saves a plan of its HubSpot
// sandbox to a file outside the copy (TestPlanApplyPlan covers a plan of
// both sandboxes).
func planned(t *testing.T) (dir, planFile string) {
	t.Helper()
	dir = acmeCopy(t)
	planFile = filepath.Join(t.TempDir(), "plan.json")
	mustRun(t, 0, "plan", "--dir", dir, "--system", "sandbox", "--out", planFile)
	return dir, planFile
}

// copyPlanned copies a planned repository (with the sandbox state the plan
// read) and its plan file. The plan is as valid for the copy as for the
// original: same documents, same live state, no git commit.
func copyPlanned(t *testing.T, dir, planFile string) (string, string) {
	t.Helper()
	dst := t.TempDir()
	for rel, content := range tree(t, dir) {
		target := filepath.Join(dst, rel)
		var err error
		if content == "/" {
			err = os.MkdirAll(target, 0o755)
		} else if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
			err = os.WriteFile(target, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	plan := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(plan, []byte(readFile(t, planFile)), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst, plan
}

// tree maps every file and folder under dir to its content ("/" for a
// folder), to check that a refused apply wrote nothing anywhere.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel] = "/"
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// editLive changes the live lead_source property behind mops's back,
// through the HubSpot API of the copy's sandbox: webinar is relabelled.
func editLive(t *testing.T, dir string) {
	t.Helper()
	sb, err := sandbox.Open(filepath.Join(dir, ".mops", "sandbox.json"), "", sandbox.WithLimits(sandbox.Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	base, stop, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c, err := hubspot.New(base, "someone-else", hubspot.WithSystem("sandbox"), hubspot.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	snap, err := c.Read(ctx, live.ReadRequest{Bindings: []live.Binding{leadSrc}})
	if err != nil {
		t.Fatal(err)
	}
	opts := slices.Clone(snap.Properties[leadSrc].Options)
	i := slices.IndexFunc(opts, func(o live.Option) bool { return o.Value == "webinar" })
	opts[i].Label = "Webinars (edited in HubSpot)"
	if _, err := c.Apply(ctx, live.Change{Binding: leadSrc, Action: live.ActionSetOptions, Options: opts}); err != nil {
		t.Fatal(err)
	}
}

func writeLock(t *testing.T, dir string, pid int) string {
	t.Helper()
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, ".mops", "locks", "sandbox.lock")
	data, _ := json.Marshal(map[string]any{"pid": pid, "host": host, "actor": "priya", "planHash": "sha256:feedfacefeedfacefeed",
		"since": time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)})
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// deadPID returns the pid of a process that has finished.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestApplyRefusals checks every reason apply refuses a plan: each says why
// on stderr, exits 1 (2 when the plan is not the one documents and live
// give now) and writes nothing (no change log, no lock, sandbox
// state byte-for-byte unchanged).
func TestApplyRefusals(t *testing.T) {
	t.Parallel()
	approvers := []string{"--approved-by", dana, "--approved-by", priya}
	cases := []struct {
		name  string
		now   time.Time // zero: before the freeze
		setup func(t *testing.T, dir, planFile string)
		args  []string
		code  int // 0: ExitFailed
		want  []string
	}{
		{
			name: "tampered plan",
			setup: func(t *testing.T, _, planFile string) {
				data, _ := os.ReadFile(planFile)
				edited := strings.Replace(string(data), `"to": "event"`, `"to": "evenT"`, 1)
				if edited == string(data) {
					t.Fatal("edit changed nothing")
				}
				os.WriteFile(planFile, []byte(edited), 0o644)
			},
			args: approvers,
			want: []string{"plan file does not match its hash", "edited after mops plan wrote it; run mops plan again"},
		},
		{
			name:  "stale plan",
			setup: func(t *testing.T, dir, _ string) { editLive(t, dir) },
			args:  approvers,
			code:  ExitChanges,
			want: []string{"apply refused: the plan is stale: live changed since the plan was made, so it is not the plan to apply; run mops plan again, and have the new plan reviewed",
				"\n  - sandbox:contacts.lead_source changed in live since the plan was made\n",
				`  - the plan lacks step 3 (update sandbox:contacts.lead_source "webinar"), which the documents and live give`},
		},
		{
			name: "replayed plan",
			setup: func(t *testing.T, dir, planFile string) {
				mustRun(t, 0, append([]string{"apply", planFile, "--dir", dir}, approvers...)...)
			},
			args: approvers,
			want: []string{"apply refused: this plan was already applied (change log record 1, 2026-11-27T12:00:00Z by unknown); plans are single-use"},
		},
		{
			name: "frozen",
			now:  inFreeze,
			args: approvers,
			want: []string{"apply refused: change freeze fy26-year-end (2026-12-20T00:00:00Z to 2027-01-05T00:00:00Z: Year-end close",
				"only an emergency apply (--emergency --reason TEXT) by a member of role mops-lead may proceed"},
		},
		{
			name: "frozen, emergency by a non-member",
			now:  inFreeze,
			args: []string{"--emergency", "--reason", "Broken lead routing", "--actor", priya, "--approved-by", priya},
			want: []string{"change freeze fy26-year-end", "an emergency apply must be made by a member of role mops-lead (@acme/mops-leads, @dana-whitfield); \"" + priya + "\" is none of them"},
		},
		{
			name: "frozen, emergency without a reason",
			now:  inFreeze,
			args: append([]string{"--emergency", "--actor", dana}, approvers...),
			want: []string{"an emergency apply during freeze fy26-year-end needs --reason"},
		},
		{
			name: "no approvals",
			want: []string{"apply refused: missing approvals:",
				"role mops-lead (accountable for taxonomy-change) must approve change(s) 1, 2, 3, 4, 5: an approver from @acme/mops-leads, @dana-whitfield\n",
				"2 destructive change(s) need 2 distinct approvers from the accountable or responsible roles",
				"; got 0"},
		},
		{
			name: "one approver for destructive changes",
			args: []string{"--approved-by", dana},
			want: []string{"apply refused: missing approvals:", "2 destructive change(s) need 2 distinct approvers", "; got 1"},
		},
		{
			name: "the same approver twice",
			args: []string{"--approved-by", dana, "--approved-by", dana},
			want: []string{"2 destructive change(s) need 2 distinct approvers", "; got 1"},
		},
		{
			name: "governance documents changed after planning",
			setup: func(t *testing.T, dir, _ string) {
				path := filepath.Join(dir, "taxonomies", "lead-source.yaml")
				data, _ := os.ReadFile(path)
				edited := strings.Replace(string(data), "label: Webinar\n", "label: Webinars\n", 1)
				if edited == string(data) {
					t.Fatal("edit changed nothing")
				}
				os.WriteFile(path, []byte(edited), 0o644)
			},
			args: approvers,
			code: ExitChanges,
			want: []string{"apply refused: the governance documents changed since the plan was made, so it is not the plan to apply; run mops plan again, and have the new plan reviewed",
				"  - the plan was made from other governance documents",
				`  - the plan lacks step 3 (update sandbox:contacts.lead_source "webinar"), which the documents and live give`},
		},
		{
			// Hostile input: the plan file names the revision to read the
			// documents from; only a full commit id is taken.
			name:  "plan names a branch as its commit",
			setup: func(t *testing.T, _, planFile string) { reseal(t, planFile, func(p *plan.Plan) { p.Commit = "main" }) },
			args:  approvers,
			want:  []string{`apply refused: the plan names commit "main", which is not a full commit id; run mops plan again`},
		},
		{
			name: "plan made at a commit, applied outside git",
			setup: func(t *testing.T, _, planFile string) {
				reseal(t, planFile, func(p *plan.Plan) { p.Commit = "0123456789abcdef0123456789abcdef01234567" })
			},
			args: approvers,
			want: []string{"apply refused: the plan was made at commit 0123456789ab, but ", " is not in a git repository to read that commit from"},
		},
		{
			name:  "lock held by a running apply",
			setup: func(t *testing.T, dir, _ string) { writeLock(t, dir, os.Getpid()) },
			args:  approvers,
			want: []string{"another apply is running on this system: held by priya (pid " + itoa(os.Getpid()) + " on ",
				"since 2026-11-27T11:00:00Z for plan sha256:feedfacefeed;", "if that apply is gone, delete "},
		},
	}
	baseDir, basePlan := planned(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, planFile := copyPlanned(t, baseDir, basePlan)
			if c.setup != nil {
				c.setup(t, dir, planFile)
			}
			before := tree(t, dir)
			now := c.now
			if now.IsZero() {
				now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
			}
			stdout, stderr, code := runAt(t, now, nil, append([]string{"apply", planFile, "--dir", dir}, c.args...)...)
			want := c.code
			if want == 0 {
				want = ExitFailed
			}
			if code != want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want, stdout, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
				t.Errorf("a refused apply wrote to the repository (-before +after):\n%s", diff)
			}
			if strings.Contains(stdout, "Applying") {
				t.Errorf("a refused apply said it was applying:\n%s", stdout)
			}
			if strings.Contains(stdout, ": applied") {
				t.Errorf("a refused apply reports applied steps:\n%s", stdout)
			}
		})
	}
}

// reseal edits a plan file and seals it again with the public plan
// package, as a forger would.
func reseal(t *testing.T, planFile string, edit func(*plan.Plan)) {
	t.Helper()
	p, err := plan.Read(planFile)
	if err != nil {
		t.Fatal(err)
	}
	edit(p)
	if err := plan.Write(planFile, p); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string {
	data, _ := json.Marshal(n)
	return string(data)
}

// TestApplyEmergencyInFreeze: a mops-lead member may apply inside the
// freeze with --emergency --reason, and the reason is in the change log.
func TestApplyEmergencyInFreeze(t *testing.T) {
	t.Parallel()
	dir, planFile := planned(t)
	reason := "Lead routing is broken for trade-show leads"
	stdout, stderr, code := runAt(t, inFreeze, nil, "apply", planFile, "--dir", dir,
		"--emergency", "--reason", reason, "--actor", dana, "--approved-by", dana, "--approved-by", priya)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	recs, problems, err := changelog.Verify(filepath.Join(dir, ".mops", "changelog"))
	if err != nil || len(problems) > 0 {
		t.Fatalf("change log: %v %+v", err, problems)
	}
	start := recs[0]
	if start.Type != changelog.RunStart || start.Emergency != reason || start.Actor != dana || !start.Time.Equal(inFreeze) {
		t.Errorf("run-start record %+v, want the emergency reason, actor and time", start)
	}
	out := mustRun(t, 0, "log", "--dir", dir)
	if !strings.Contains(out, "EMERGENCY: "+reason) {
		t.Errorf("mops log does not show the emergency:\n%s", out)
	}
}

// TestApplyTakesOverStaleLock: a lock left by a process that no longer runs
// on this host does not block apply, and apply releases its own lock.
func TestApplyTakesOverStaleLock(t *testing.T) {
	t.Parallel()
	dir, planFile := planned(t)
	lock := writeLock(t, dir, deadPID(t))
	mustRun(t, 0, "apply", planFile, "--dir", dir, "--approved-by", dana, "--approved-by", priya)
	if _, err := os.Stat(lock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left behind: %v", err)
	}
}

// TestApplyDryRun reports what each step would do and writes nothing: no
// change log, no lock, the sandbox state file unchanged byte-for-byte.
func TestApplyDryRun(t *testing.T) {
	t.Parallel()
	dir, planFile := planned(t)
	before := tree(t, dir)
	if _, ok := before[filepath.Join(".mops", "sandbox.json")]; !ok {
		t.Fatal("plan did not create the sandbox state; the test compares nothing")
	}
	// A dry run checks everything a real apply checks first, approvals
	// included.
	out := mustRun(t, 0, "apply", planFile, "--dir", dir, "--dry-run", "--approved-by", dana, "--approved-by", priya)
	for _, want := range []string{
		"Dry run of plan ",
		"1. + create sandbox:contacts.lead_source: would-apply",
		"2. ~ update sandbox:contacts.lead_source: would-apply",
		"3. > migrate-records sandbox:contacts.lead_source: would-apply (12 record(s))",
		"4. - hide sandbox:contacts.lead_source: would-apply",
		"5. - remove sandbox:contacts.lead_source: would-apply",
		"Dry run: nothing was written.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
		t.Errorf("dry run wrote to the repository (-before +after):\n%s", diff)
	}
}

// logDir is a repository holding only mops.yaml and a change log of one
// apply run (five records).
func logDir(t *testing.T) (dir, logPath string) {
	t.Helper()
	dir = t.TempDir()
	data, err := os.ReadFile(filepath.Join(acmeExample, "mops.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mops.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	logPath = filepath.Join(dir, ".mops", "changelog")
	appendRun(t, logPath, "ci")
	return dir, logPath
}

func appendRun(t *testing.T, path, actor string) {
	t.Helper()
	l, err := changelog.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i, typ := range []changelog.Type{changelog.RunStart, changelog.Change, changelog.Batch, changelog.Change, changelog.RunEnd} {
		r := changelog.Record{Time: at.Add(time.Duration(i) * time.Second), Type: typ, Actor: actor, PlanHash: "sha256:plan", System: "sandbox", Result: changelog.ResultApplied}
		if _, err := l.Append(r); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLogVerify runs mops log --verify on an intact log and on logs
// tampered with in each way the hash chain detects. (Deleting the last
// record is not among them: the chain cannot show it; git history of the
// committed log does.)
func TestLogVerify(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper func(t *testing.T, ls []string) []string
		want   string // "" means intact
	}{
		{"intact", nil, ""},
		{"edit a field", func(t *testing.T, ls []string) []string {
			ls[2] = strings.Replace(ls[2], `"actor":"ci"`, `"actor":"mallory"`, 1)
			return ls
		}, "TAMPERED: .mops/changelog breaks at line 3 (seq 3): record was edited"},
		{"delete a middle record", func(t *testing.T, ls []string) []string {
			return slices.Delete(ls, 2, 3)
		}, "TAMPERED: .mops/changelog breaks at line 3 (seq 4): chain broken"},
		{"insert a forged record", func(t *testing.T, ls []string) []string {
			other := filepath.Join(t.TempDir(), "changelog")
			appendRun(t, other, "mallory")
			forged := strings.Split(readFile(t, other), "\n")[1]
			return slices.Insert(ls, 2, forged)
		}, "TAMPERED: .mops/changelog breaks at line 3 (seq 2): chain broken"},
		{"reorder two records", func(t *testing.T, ls []string) []string {
			ls[3], ls[4] = ls[4], ls[3]
			return ls
		}, "TAMPERED: .mops/changelog breaks at line 4 (seq 5): chain broken"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, logPath := logDir(t)
			if c.tamper != nil {
				ls := strings.Split(strings.TrimSuffix(readFile(t, logPath), "\n"), "\n")
				if err := os.WriteFile(logPath, []byte(strings.Join(c.tamper(t, ls), "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			stdout, stderr, code := run(t, "log", "--dir", dir, "--verify")
			if c.want == "" {
				if code != 0 || !strings.HasPrefix(stdout, "Verified: the hash chain of ") || strings.Count(stdout, "\n") != 1 {
					t.Fatalf("intact log: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
				}
				return
			}
			if code != ExitFailed || !strings.HasPrefix(stdout, c.want) || strings.Contains(stdout, "Verified") {
				t.Fatalf("exit %d, want 1 and %q\nstdout:\n%s\nstderr:\n%s", code, c.want, stdout, stderr)
			}
			// The verdict and the first bad record, not the whole log.
			if lines := strings.Count(stdout, "\n"); lines > 3 {
				t.Errorf("--verify printed %d lines; want the verdict, the first bad record and a count:\n%s", lines, stdout)
			}
			// Without --verify the log is still shown, and exits 0.
			if _, _, code := run(t, "log", "--dir", dir); code != 0 {
				t.Errorf("mops log without --verify exits %d", code)
			}
		})
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestApplyProgress: a migration that takes longer than the progress
// interval (here a clock that moves 11 s a reading) reports on stderr how
// far it got and, when it ends, what it wrote; one that takes less (the
// fixed clock of the other tests) says nothing; --quiet silences it, and
// stdout is the same either way.
func TestApplyProgress(t *testing.T) {
	dir, planFile := planned(t)
	quietDir, quietPlan := copyPlanned(t, dir, planFile)
	fastDir, fastPlan := copyPlanned(t, dir, planFile)
	args := []string{"--approved-by", dana, "--approved-by", priya}
	slow := func(extra ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
		env := Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, IsTerminal: func(io.Writer) bool { return false },
			Now: func() time.Time { now = now.Add(11 * time.Second); return now }}
		code := Run(context.Background(), extra, env)
		return out.String(), errOut.String(), code
	}
	stdout, stderr, code := slow(append([]string{"apply", planFile, "--dir", dir}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`mops: migrate sandbox:contacts.lead_source from "trade_show" to "event": 0/12 records (0%)` + "\n",
		`mops: migrate sandbox:contacts.lead_source from "trade_show" to "event": 12 records in `,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	qout, qerr, code := slow(append([]string{"apply", quietPlan, "--dir", quietDir, "--quiet"}, args...)...)
	if code != 0 || strings.Contains(qerr, "records") {
		t.Fatalf("--quiet: exit %d, stderr %q", code, qerr)
	}
	if strings.ReplaceAll(qout, quietDir, dir) != stdout {
		t.Errorf("stdout differs under --quiet:\n%s\n---\n%s", qout, stdout)
	}
	if _, stderr, code := run(t, append([]string{"apply", fastPlan, "--dir", fastDir}, args...)...); code != 0 || strings.Contains(stderr, "records") {
		t.Errorf("a short migration: exit %d, stderr %q", code, stderr)
	}
}

// TestApproverIdentities: --approved-by takes any identity of a RACI
// member (GitHub login as a review gives it, @handle, email, Salesforce
// user) and a GitHub team only where a role names it. Two identities of
// one person are one approver; someone no role has is named, not counted.
func TestApproverIdentities(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		approvers []string
		want      []string // empty: applied
	}{
		{"review logins", []string{"dana-whitfield", "priya-raman"}, nil},
		{"handles, any case", []string{"@Dana-Whitfield", "@priya-raman"}, nil},
		{"email and Salesforce user", []string{"DANA.WHITFIELD@acme.example", "priya.raman@acme.example.crm"}, nil},
		{"teams the RACI names", []string{"@acme/mops-leads", "@acme/marketing-automation"}, nil},
		{"one person twice", []string{"dana-whitfield", dana}, []string{"2 destructive change(s) need 2 distinct approvers", "; got 1"}},
		{"strangers", []string{"dana-whitfield", "@acme/everyone", "mallory"}, []string{"; got 1",
			"not counted, as no RACI role has them as members (a person by email, GitHub handle or Salesforce user; a GitHub team only where a role names it): @acme/everyone, mallory"}},
	}
	baseDir, basePlan := planned(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, planFile := copyPlanned(t, baseDir, basePlan)
			args := []string{"apply", planFile, "--dir", dir}
			for _, a := range c.approvers {
				args = append(args, "--approved-by", a)
			}
			stdout, stderr, code := runAt(t, time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), nil, args...)
			if len(c.want) == 0 {
				if code != 0 {
					t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
				}
				return
			}
			if code != ExitFailed {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}
