package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
	"github.com/mops-dev/mops/engine/live/sandbox"
)

// TestRetryLogWithVerbose: a retried live-system call is logged to stderr
// with --verbose, and only then. A sandbox served here stands in for the
// example's hubspot-prod and answers the first properties call of each run with a 429.
func TestRetryLogWithVerbose(t *testing.T) {
	dir := acmeCopy(t)
	hs := serveAsProd(t, dir)
	vars := map[string]string{"HUBSPOT_TOKEN": "pat-na1-secret"}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for _, verbose := range []bool{false, true} {
		t.Run(fmt.Sprint("verbose=", verbose), func(t *testing.T) {
			// Retry-After keeps the wait short (without it the client waits out
			// HubSpot's ten-second window).
			hs.SetFaults(sandbox.Faults{RateLimitBurst: 1, RetryAfter: time.Second, PathPrefix: "/crm/properties/"})
			args := []string{"plan", "--dir", dir, "--system", "hubspot-prod"}
			if verbose {
				args = append(args, "--verbose")
			}
			_, stderr, code := runAt(t, now, vars, args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			const line = `level=INFO msg="hubspot: retrying" system=hubspot-prod method=GET path=/crm/properties/2026-09/`
			if got := strings.Contains(stderr, line) && strings.Contains(stderr, "attempt=2") && strings.Contains(stderr, "HTTP 429"); got != verbose {
				t.Errorf("retry logged = %v, want %v:\n%s", got, verbose, stderr)
			}
			if strings.Contains(stderr, "secret") || strings.Contains(stderr, "time=") {
				t.Errorf("stderr shows the token or a timestamp:\n%s", stderr)
			}
		})
	}
}

// TestLiveLoggerLevels: warnings always reach stderr, retries (Info) only
// when verbose.
func TestLiveLoggerLevels(t *testing.T) {
	for _, verbose := range []bool{false, true} {
		var buf bytes.Buffer
		l := liveLogger(&buf, verbose)
		l.Info("hubspot: retrying", "attempt", 2)
		l.Warn("salesforce: API usage is high", "percent", 85)
		want := `level=WARN msg="salesforce: API usage is high" percent=85` + "\n"
		if verbose {
			want = `level=INFO msg="hubspot: retrying" attempt=2` + "\n" + want
		}
		if buf.String() != want {
			t.Errorf("verbose=%v: got\n%s\nwant\n%s", verbose, buf.String(), want)
		}
	}
}

// TestScorecardLiveRetryLog: `scorecard --live` opens systems as plan
// does, so its retried calls are logged with --verbose too. It counts
// records per taxonomy value at HubSpot's search pace (about 20 s), so it
// runs beside the other tests.
func TestScorecardLiveRetryLog(t *testing.T) {
	t.Parallel()
	r := gitrepotest.New(t)
	r.CopyDir(acmeExample, "gov")
	r.Remove("gov/.mops", "gov/.github")
	gov := filepath.Join(r.Dir, "gov")
	hs := serveAsProd(t, gov)
	r.Commit("governance")
	hs.SetFaults(sandbox.Faults{RateLimitBurst: 1, RetryAfter: time.Second, PathPrefix: "/crm/"})
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	out, stderr, code := runAt(t, now, map[string]string{"HUBSPOT_TOKEN": "pat-na1-secret"},
		"scorecard", "--dir", gov, "--live", "--verbose", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(stderr, `msg="hubspot: retrying" system=hubspot-prod`) || !strings.Contains(stderr, "HTTP 429") {
		t.Errorf("the retried call is not logged:\n%s", stderr)
	}
	if strings.Contains(stderr, "secret") {
		t.Errorf("stderr shows the token:\n%s", stderr)
	}
}

// serveAsProd serves a HubSpot sandbox (without rate limits) for the test
// and points the example's hubspot-prod in dir/mops.yaml at it.
func serveAsProd(t *testing.T, dir string) *sandbox.Sandbox {
	t.Helper()
	hs, err := sandbox.Open("", filepath.Join(acmeExample, "live", "sandbox-seed.json"), sandbox.WithLimits(sandbox.Limits{}))
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := hs.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stop() })
	path := filepath.Join(dir, "mops.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const prod = "      baseURL: https://api.hubapi.com\n"
	if !strings.Contains(string(data), prod) {
		t.Fatalf("the example's mops.yaml changed; fix the test:\n%s", data)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), prod, "      baseURL: "+url+"\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return hs
}
