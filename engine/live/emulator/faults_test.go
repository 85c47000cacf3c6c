package emulator

import (
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
