package apply

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// deadPID returns the pid of a process that has finished.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func writeHolder(t *testing.T, path string, h holder) []byte {
	t.Helper()
	data, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

func TestLock(t *testing.T) {
	since := time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)
	me := holder{PID: os.Getpid(), Host: "here", Actor: "ci", PlanHash: "sha256:mine", Since: since}
	cases := []struct {
		name    string
		held    *holder // nil: no lock file
		garbage bool    // the lock file is not JSON
		taken   bool
		msg     string
	}{
		{name: "free", taken: true},
		{name: "held by a live process here", held: &holder{PID: os.Getpid(), Host: "here", Actor: "dana", PlanHash: "sha256:0123456789abcdef0123", Since: since},
			msg: "another apply is running on this system: held by dana (pid " + strconv.Itoa(os.Getpid()) + " on here) since 2026-11-27T11:00:00Z for plan sha256:0123456789a"},
		{name: "left by a finished process here", held: &holder{PID: deadPID(t), Host: "here", Actor: "dana"}, taken: true},
		{name: "held on another host", held: &holder{PID: deadPID(t), Host: "elsewhere", Actor: "dana"},
			msg: "on elsewhere"}, // mops cannot tell whether it still runs there
		{name: "unreadable", garbage: true, msg: "another apply is running"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "locks", "sandbox.lock")
			var old []byte
			switch {
			case c.held != nil:
				old = writeHolder(t, path, *c.held)
			case c.garbage:
				old = []byte("{")
				writeHolder(t, path, holder{})
				if err := os.WriteFile(path, old, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			unlock, err := lock(path, me)
			if !c.taken {
				if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("error %v, want ErrLocked containing %q", err, c.msg)
				}
				if got, _ := os.ReadFile(path); string(got) != string(old) {
					t.Errorf("a refused lock changed the lock file to %s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := readHolder(path)
			if err != nil || got.PID != me.PID || got.PlanHash != me.PlanHash || got.Host != "here" {
				t.Errorf("lock file holds %+v (%v), want this run", got, err)
			}
			if _, err := lock(path, me); !errors.Is(err, ErrLocked) {
				t.Errorf("a second lock was granted: %v", err)
			}
			unlock()
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("unlock left the lock file: %v", err)
			}
		})
	}
}
