package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// mops is a short-lived batch process. `mops validate` streams campaigns
// through a small live heap (tens of MB, whatever the repository's size)
// while allocating gigabytes of short-lived values; with Go's default the
// collector would run every few megabytes. Plan, drift and apply hold the
// whole repository, a live heap that grows with it. So, unless the user
// set GOGC or GOMEMLIMIT, the collector runs when the heap reaches
// max(gcFloor, gcGrowth × the live heap): never below the floor, and as
// with GOGC=200 above it. This is GOGC off with a soft memory limit that
// is raised after each collection as the live heap grows.
const (
	gcFloor  = 256 << 20
	gcGrowth = 3
)

// tuneGC sets mops's collector defaults (see gcFloor) unless the user
// tuned the collector; with only GOMEMLIMIT set, GOGC is 200.
func tuneGC(getenv func(string) string) {
	switch {
	case getenv("GOGC") != "":
	case getenv("GOMEMLIMIT") != "":
		debug.SetGCPercent(200)
	default:
		startGCTuner(gcFloor) // for the life of the process
	}
}

// gcTuner sets the memory limit after each collection.
type gcTuner struct {
	floor   uint64
	sample  []metrics.Sample
	stopped atomic.Bool
}

// startGCTuner switches GOGC off and keeps the soft memory limit at
// gcGoal(floor, live heap), until stop is called (which leaves the last
// setting).
func startGCTuner(floor uint64) (stop func()) {
	debug.SetGCPercent(-1)
	t := &gcTuner{floor: floor, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	t.adjust()
	return func() { t.stopped.Store(true) }
}

// adjust sets the limit from the live heap the last collection found, and
// arranges to run again after the next one.
func (t *gcTuner) adjust() {
	if t.stopped.Load() {
		return
	}
	metrics.Read(t.sample)
	debug.SetMemoryLimit(gcGoal(t.floor, t.sample[0].Value.Uint64()))
	// The sentinel is unreachable at once: its cleanup runs after the next
	// collection. It holds a pointer, so it is not batched with other tiny
	// objects that could keep it alive.
	sentinel := &struct{ _ *byte }{}
	runtime.AddCleanup(sentinel, func(t *gcTuner) { t.adjust() }, t)
}

// gcGoal is the soft memory limit for a live heap of live bytes.
func gcGoal(floor, live uint64) int64 {
	if live > math.MaxInt64/gcGrowth {
		return math.MaxInt64
	}
	return int64(max(floor, gcGrowth*live))
}
