package sandbox

import "time"

// window is an exact sliding-window rate limit: at most max requests in
// any interval of length per, of which shared are spent by the account's
// other integrations (HubSpot's limits are the account's).
type window struct {
	max   int
	per   time.Duration
	times []time.Time
}

// allow records a request at now if the window has room beside shared
// others' requests. left is what remains of the window after it.
func (w *window) allow(now time.Time, shared int) (ok bool, left int) {
	cut := now.Add(-w.per)
	i := 0
	for i < len(w.times) && !w.times[i].After(cut) {
		i++
	}
	w.times = w.times[i:]
	if len(w.times)+shared >= w.max {
		return false, 0
	}
	w.times = append(w.times, now)
	return true, w.max - shared - len(w.times)
}
