package emulator

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	f, err := ParseFaults("ratelimit=3, retryafter=1, server=2,status=502,latency=250ms,drop=1,expire=2,path=/crm/v3/objects")
	want := Faults{RateLimitBurst: 3, RetryAfter: time.Second, ServerErrors: 2, ServerErrorStatus: 502, Latency: 250 * time.Millisecond, DropConnections: 1, ExpireSessions: 2, PathPrefix: "/crm/v3/objects"}
	if err != nil || f != want {
		t.Fatalf("ParseFaults = %+v, %v", f, err)
	}
	for _, bad := range []string{"ratelimit", "colour=red", "server=-1", "expire=-1", "latency=soon", "status=200"} {
		if _, err := ParseFaults(bad); err == nil {
			t.Errorf("ParseFaults(%q) accepted", bad)
		}
	}
	if f, err := ParseFaults(""); err != nil || f != (Faults{}) {
		t.Errorf("empty: %+v, %v", f, err)
	}
}

// TestDurationReadsStringsAndSeconds: a seed's duration is a Go duration
// string or a number of seconds; negative and overflowing values are
// refused, not wrapped into some other wait.
func TestDurationReadsStringsAndSeconds(t *testing.T) {
	for in, want := range map[string]time.Duration{`"250ms"`: 250 * time.Millisecond, `"3s"`: 3 * time.Second, `2`: 2 * time.Second, `0.5`: 500 * time.Millisecond} {
		var d Duration
		if err := json.Unmarshal([]byte(in), &d); err != nil || time.Duration(d) != want {
			t.Errorf("%s = %v, %v; want %v", in, time.Duration(d), err, want)
		}
	}
	for _, in := range []string{`"-1s"`, `-1`, `1e300`, `9223372037`, `"soon"`, `true`} {
		var d Duration
		if err := json.Unmarshal([]byte(in), &d); err == nil {
			t.Errorf("%s was accepted as %v", in, time.Duration(d))
		}
	}
}
