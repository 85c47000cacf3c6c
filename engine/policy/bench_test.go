package policy

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repogen"
)

// generated loads a repository of n generated campaigns plus the example's
// other documents.
func generated(b *testing.B, n int) *model.Bundle {
	b.Helper()
	dir := b.TempDir()
	if err := repogen.Write(dir, os.DirFS("../../examples/acme"), n); err != nil {
		b.Fatal(err)
	}
	bundle, _, err := load.Load(os.DirFS(dir), load.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return bundle
}

// BenchmarkEvaluate evaluates every built-in policy over the generated
// 10,000-campaign repository.
func BenchmarkEvaluate(b *testing.B) {
	bundle := generated(b, 10_000)
	ctx := context.Background()
	e, err := New(ctx, Options{Today: time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC), Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		fs, err := e.Evaluate(ctx, bundle)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range fs {
			if f.Blocking() {
				b.Fatalf("generated campaigns should comply:%s", dump(fs[:min(len(fs), 20)]))
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(bundle.Docs)), "ns/doc")
	// CPU time is steadier than wall time on a shared machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkNew measures compiling the policies and preparing the query.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(context.Background(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
