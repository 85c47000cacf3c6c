package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a manual clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestLog: off a terminal, a line every interval with done/total, rate
// and ETA, and one when the phase ends; work shorter than the interval
// says nothing.
func TestLog(t *testing.T) {
	var out bytes.Buffer
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	m := New(&out, false, 10*time.Second, clk.now)
	m.Phase("migrate contacts.region: find records", 0)
	clk.add(9 * time.Second)
	m.Update(300, 300)
	m.End()
	m.Phase("migrate contacts.region: write records", 10000)
	for done := 500; done <= 10000; done += 500 {
		clk.add(time.Second)
		m.Update(done, 0)
	}
	m.End()
	want := `mops: migrate contacts.region: write records: 5000/10000 records (50%), 500/s, ETA 10s
mops: migrate contacts.region: write records: 10000/10000 records (100%), 500/s
mops: migrate contacts.region: write records: 10000 records in 20s, 500/s
`
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestTerminal: on a terminal one line shows once the work has taken a
// second, is redrawn in place at most every 200 ms, and is ended with a
// newline.
func TestTerminal(t *testing.T) {
	var out bytes.Buffer
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	m := New(&out, true, 0, clk.now)
	m.Phase("find records", 0)
	m.Update(100, 400) // too soon to show
	clk.add(time.Second)
	m.Update(200, 400)
	clk.add(100 * time.Millisecond)
	m.Update(250, 400) // too soon to redraw
	clk.add(100 * time.Millisecond)
	m.Update(300, 400)
	m.End()
	got := strings.Split(out.String(), "\r\x1b[K")
	want := []string{"", "find records: 200/400 records (50%), 200/s, ETA 1s", "find records: 300/400 records (75%), 250/s, ETA 400ms",
		"find records: 300/400 records (75%), 250/s, ETA 400ms\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}
