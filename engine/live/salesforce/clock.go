package salesforce

import "github.com/mops-dev/mops/engine/live/internal/pacing"

// Clock tells time and waits. Tests inject a fake to make retries instant
// and to see how long the client chose to wait. It is the same type as
// hubspot.Clock, so one fake serves both.
type Clock = pacing.Clock
