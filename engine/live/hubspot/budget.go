package hubspot

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/mops-dev/mops/engine/live/hubspot/hsapi"
	"github.com/mops-dev/mops/engine/live/internal/pacing"
	"github.com/mops-dev/mops/engine/live/internal/rest"
)

// defaultWindow is HubSpot's rolling rate-limit window ("TEN_SECONDLY_ROLLING")
// when no answer has said otherwise.
const defaultWindow = 10 * time.Second

// budget keeps the client inside the share of HubSpot's rate-limit window
// that the account's other integrations leave it. The limits are the
// account's, shared by every app of the portal, so the client's own pacing
// (Limits) alone cannot keep under them. Each answer's headers say how
// many requests the window allows and how many are left; less the
// client's own calls in the window, that is what the others spent. The
// client then sends at most the rest, less a reserve, in any window: a
// sliding-window limit whose size follows the others' use. Alone in the
// portal, that is no stricter than Limits. It is safe for concurrent use.
type budget struct {
	clock pacing.Clock
	// log gets an Info record when a call waits a second or more.
	log    *slog.Logger
	system string

	mu     sync.Mutex
	max    int           // requests per window, from the last answer; 0: none yet
	window time.Duration // the window's length (defaultWindow until an answer names it)
	others int           // what other apps spent of the window at the last reading
	sent   []time.Time   // the client's calls within the last window, oldest first
}

// observe reads the rate-limit headers of an answer (search answers carry
// none).
func (b *budget) observe(_ rest.Call, h http.Header) {
	maxN, err1 := strconv.Atoi(h.Get(hsapi.HeaderRateMax))
	left, err2 := strconv.Atoi(h.Get(hsapi.HeaderRateRemaining))
	ms, err3 := strconv.Atoi(h.Get(hsapi.HeaderRateInterval))
	if err1 != nil || err2 != nil || maxN <= 0 || left < 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.max, b.window = maxN, defaultWindow
	if err3 == nil && ms > 0 {
		b.window = time.Duration(ms) * time.Millisecond
	}
	b.prune(b.clock.Now())
	b.others = max(0, maxN-left-len(b.sent))
}

// windowLength is the window the last answer named, or HubSpot's default.
func (b *budget) windowLength() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.window
}

// gate holds a call back until the window has room for it. Search calls
// have their own limit and no headers, so they pass.
func (b *budget) gate(ctx context.Context, cl rest.Call) error {
	if cl.Limiter != nil {
		return nil
	}
	for {
		d := b.take(b.clock.Now())
		if d <= 0 {
			return nil
		}
		if d >= time.Second {
			b.log.Info("hubspot: pacing to the account's rate limit", "system", b.system, "method", cl.Method, "path", cl.Path, "wait", d)
		}
		if err := b.clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// take counts a call at now if the window has room for it and returns 0;
// otherwise it returns how long until enough of the client's calls leave
// the window. The client's share is the allowance less what the others
// spent and a reserve (a fiftieth, as Limits keeps, for calls in flight
// and the others' jitter), and never less than one call a window, whose
// answer reads the budget anew.
func (b *budget) take(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.prune(now)
	if b.max == 0 { // no reading yet: count the call for the first one
		b.sent = append(b.sent, now)
		return 0
	}
	share := max(1, b.max-b.others-max(1, b.max/50))
	if len(b.sent) < share {
		b.sent = append(b.sent, now)
		return 0
	}
	return b.sent[len(b.sent)-share].Add(b.window).Sub(now)
}

// prune drops the calls older than the window (callers hold b.mu).
func (b *budget) prune(now time.Time) {
	i := 0
	for i < len(b.sent) && !b.sent[i].After(now.Add(-b.window)) {
		i++
	}
	b.sent = b.sent[i:]
}
