// Package progress shows how far long work has got (a migration finding
// and writing 100,000 records) on a writer, stderr in the commands: on a
// terminal one line redrawn in place once the work has taken a second,
// elsewhere (CI logs) one line every interval and, if it wrote any, one
// when the work ends. Short work says nothing. It implements
// live.Progress.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/live"
)

// DefaultInterval is how often a Meter writes a line when it is not on a
// terminal.
const DefaultInterval = 10 * time.Second

// redraw is how often a Meter on a terminal redraws its line at most;
// patience is how long work runs before the line first shows.
const (
	redraw   = 200 * time.Millisecond
	patience = time.Second
)

// Meter writes progress to w. It is safe for concurrent use.
type Meter struct {
	w        io.Writer
	terminal bool
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	what    string
	total   int
	done    int
	start   time.Time
	written time.Time // when the last line was written
	lines   int       // lines written (or drawn) in this phase
	open    bool      // a terminal line is drawn and not ended
	active  bool
}

var _ live.Progress = (*Meter)(nil)

// New returns a Meter writing to w, redrawing one line when terminal is
// true, else writing a line every interval (DefaultInterval when not
// positive). now is the clock.
func New(w io.Writer, terminal bool, interval time.Duration, now func() time.Time) *Meter {
	if interval <= 0 {
		interval = DefaultInterval
	}
	return &Meter{w: w, terminal: terminal, interval: interval, now: now}
}

// Phase implements live.Progress.
func (m *Meter) Phase(what string, total int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.now()
	m.what, m.total, m.done, m.start, m.active, m.lines = what, total, 0, t, true, 0
	m.written = t
}

// Update implements live.Progress.
func (m *Meter) Update(done, total int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.active {
		return
	}
	m.done = done
	if total > 0 {
		m.total = total
	}
	t := m.now()
	switch {
	case m.terminal && t.Sub(m.start) >= patience && (m.lines == 0 || t.Sub(m.written) >= redraw):
		m.draw(t)
	case !m.terminal && t.Sub(m.written) >= m.interval:
		m.line(t, false)
	}
}

// End implements live.Progress: a last line with the phase's count, time
// and rate, when the phase showed any.
func (m *Meter) End() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.active {
		return
	}
	m.active = false
	if m.lines == 0 {
		return
	}
	t := m.now()
	if m.terminal {
		m.draw(t)
		_, _ = io.WriteString(m.w, "\n")
		m.open = false
		return
	}
	m.line(t, true)
}

// draw redraws the terminal line.
func (m *Meter) draw(t time.Time) {
	_, _ = io.WriteString(m.w, "\r\x1b[K"+m.status(t, false))
	m.written, m.open = t, true
	m.lines++
}

// line writes one log line.
func (m *Meter) line(t time.Time, final bool) {
	_, _ = io.WriteString(m.w, "mops: "+m.status(t, final)+"\n")
	m.written = t
	m.lines++
}

// status is "what: done/total records (pct), rate/s, ETA d", or for the
// last line "what: done records in d (rate/s)".
func (m *Meter) status(t time.Time, final bool) string {
	elapsed := t.Sub(m.start)
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(m.done) / s
	}
	var b strings.Builder
	b.WriteString(m.what + ": ")
	switch {
	case final:
		fmt.Fprintf(&b, "%d records in %s", m.done, round(elapsed))
	case m.total > 0:
		fmt.Fprintf(&b, "%d/%d records (%d%%)", m.done, m.total, m.done*100/m.total)
	default:
		fmt.Fprintf(&b, "%d records", m.done)
	}
	if rate > 0 {
		fmt.Fprintf(&b, ", %.0f/s", rate)
	}
	if !final && rate > 0 && m.total > m.done {
		eta := time.Duration(float64(m.total-m.done) / rate * float64(time.Second))
		fmt.Fprintf(&b, ", ETA %s", round(eta))
	}
	return b.String()
}

// round shows a duration to the second (to the tenth under ten seconds).
func round(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
