package salesforce

import (
	"context"
	"time"
)

// Clock tells time and waits. Tests inject a fake to make retries instant
// and to see how long the client chose to wait. (Same contract as
// hubspot.Clock, so one fake serves both.)
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, returning ctx's error then.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
