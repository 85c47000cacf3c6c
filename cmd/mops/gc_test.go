package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCGoal(t *testing.T) {
	const floor = 256 << 20
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, floor},
		{50 << 20, floor},      // a streaming validate: the floor
		{100 << 20, 300 << 20}, // three times the live heap, as GOGC=200
		{1 << 30, 3 << 30},     // a plan over a large repository
		{math.MaxUint64 / 2, math.MaxInt64},
	} {
		if got := gcGoal(floor, c.live); got != c.want {
			t.Errorf("gcGoal(%d MiB live) = %d MiB, want %d MiB", c.live>>20, got>>20, c.want>>20)
		}
	}
}

// TestGCTunerFollowsTheLiveHeap: with the tuner on, GOGC is off and the
// memory limit rises with the live heap after a collection, so a large
// live heap is not collected over and over at the floor.
func TestGCTunerFollowsTheLiveHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	const floor = 16 << 20
	stop := startGCTuner(floor)
	defer stop()
	if pct := debug.SetGCPercent(-1); pct != -1 {
		t.Errorf("GOGC is %d, want off", pct)
	}
	if limit := debug.SetMemoryLimit(-1); limit < floor {
		t.Errorf("memory limit %d MiB, below the floor, %d MiB", limit>>20, floor>>20)
	}
	live := make([][]byte, 64)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	var limit int64
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		runtime.GC()
		if limit = debug.SetMemoryLimit(-1); limit >= 3*64<<20 {
			break
		}
	}
	runtime.KeepAlive(live)
	if limit < 3*64<<20 {
		t.Errorf("memory limit %d MiB with 64 MiB live, want at least %d MiB", limit>>20, 3*64)
	}
}
