package sandbox

import "time"

// window is an exact sliding-window rate limit: at most max requests in
// any interval of length per.
type window struct {
	max   int
	per   time.Duration
	times []time.Time
}

// allow records a request at now if the window has room; otherwise it says
// how long until it will.
func (w *window) allow(now time.Time) (bool, time.Duration) {
	cut := now.Add(-w.per)
	i := 0
	for i < len(w.times) && !w.times[i].After(cut) {
		i++
	}
	w.times = w.times[i:]
	if len(w.times) >= w.max {
		return false, w.times[0].Sub(cut)
	}
	w.times = append(w.times, now)
	return true, 0
}
