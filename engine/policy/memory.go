package policy

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"time"
)

// DefaultMemoryLimit bounds how much a policy evaluation may grow the live
// heap. A repository policy can allocate without end (numbers.range(1, 1e9)
// makes a billion-element array); the time limit alone lets it take
// gigabytes first. Validating 10,000 campaigns grows the heap by ~300 MB.
const DefaultMemoryLimit = 1 << 30

// memoryTick is how often the evaluation's memory is sampled.
const memoryTick = 10 * time.Millisecond

// ErrMemoryLimit stops an evaluation that grew the heap past its limit.
var ErrMemoryLimit = errors.New("memory limit")

// watchMemory returns ctx cancelled, with cause ErrMemoryLimit, once the
// live heap holds limit bytes more than the whole heap did when it was
// called, and a function that stops watching. Garbage alone never stops a
// run: whenever the heap has grown by limit bytes the watcher has the
// collector tell garbage from live (a collection the runtime would soon
// run anyway). A large live heap (a run whose policies read whole
// campaigns through input.index) lets gigabytes of garbage build up
// between the runtime's own collections.
// Sampling the runtime's counters costs about a microsecond.
func watchMemory(ctx context.Context, limit uint64) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	sample := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	metrics.Read(sample)
	ceiling := sample[0].Value.Uint64() + limit
	go func() {
		t := time.NewTicker(memoryTick)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				metrics.Read(sample)
				if sample[0].Value.Uint64() > ceiling {
					runtime.GC()
					metrics.Read(sample)
				}
				if sample[1].Value.Uint64() > ceiling {
					cancel(fmt.Errorf("%w of %d MiB", ErrMemoryLimit, limit>>20))
					return
				}
			}
		}
	}()
	return ctx, func() { cancel(nil) }
}
