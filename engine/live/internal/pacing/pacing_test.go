package pacing

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		h    string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"", 0, false},
		{"-1", 0, false},
		{"soon", 0, false},
	}
	for _, c := range cases {
		got, ok := RetryAfter(c.h, now)
		if got != c.want || ok != c.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", c.h, got, ok, c.want, c.ok)
		}
	}
}

// TestWindowLimiterNeverExceedsTheWindow: however requests arrive, no window
// of length per lets more than requests through.
func TestWindowLimiterNeverExceedsTheWindow(t *testing.T) {
	const requests, per = 100, 10 * time.Second
	l := WindowLimiter(requests, per, 10)
	start := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var allowed []time.Time
	for ms := 0; ms < 60_000; ms += 10 { // someone asking every 10 ms for a minute
		at := start.Add(time.Duration(ms) * time.Millisecond)
		if l.AllowN(at, 1) {
			allowed = append(allowed, at)
		}
	}
	for i := range allowed {
		j := i
		for j < len(allowed) && allowed[j].Sub(allowed[i]) < per {
			j++
		}
		if n := j - i; n > requests {
			t.Fatalf("%d requests in the %s window starting at %s", n, per, allowed[i])
		}
	}
	if len(allowed) < 5*requests {
		t.Errorf("only %d requests in a minute: the limiter is far stricter than the limit", len(allowed))
	}
	if WindowLimiter(0, per, 10) != nil {
		t.Error("a zero limit must switch the limiter off")
	}
}

func TestFullJitterStaysInRange(t *testing.T) {
	for range 1000 {
		if d := FullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("FullJitter(1s) = %v", d)
		}
	}
	if FullJitter(0) != 0 {
		t.Error("FullJitter(0) must be 0")
	}
}
