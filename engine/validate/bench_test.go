package validate_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mops-dev/mops/engine/gitrepo/gitrepotest"
	"github.com/mops-dev/mops/engine/repogen"
	"github.com/mops-dev/mops/engine/schema"
	"github.com/mops-dev/mops/engine/source"
	"github.com/mops-dev/mops/engine/validate"
)

// benchDay is the benchmarks' date.
func benchDay() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) }

// bigRepo writes (once per benchmark, or reuses $MOPS_BENCH_REPO) a repository of n generated
// campaigns beside the example's taxonomies, conventions, RACI and SLAs.
func bigRepo(b *testing.B, n int) string {
	b.Helper()
	if dir := os.Getenv("MOPS_BENCH_REPO"); dir != "" {
		return dir // a repository generated beforehand with cmd/mops-gen
	}
	dir := filepath.Join(b.TempDir(), "repo")
	if err := repogen.Write(dir, os.DirFS("../../examples/acme"), n); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkValidate measures `mops validate` on a 10,000-campaign
// repository: load+schema alone (issue target: < 1.5 s, < 300 MB) and the
// whole pipeline with policies (target: < 3 s, < 400 MB). Reported metrics:
// docs/s, and peak-heap-MB sampled from the Go runtime.
func BenchmarkValidate(b *testing.B) {
	dir := bigRepo(b, 10_000)
	v, err := schema.New()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		run  func() (*source.Report, error)
	}{
		{"load+schema", func() (*source.Report, error) {
			r, _, err := validate.Run(context.Background(), os.DirFS(dir), v, validate.Options{})
			return r, err
		}},
		{"load+schema+policy", func() (*source.Report, error) {
			return validate.Repository(context.Background(), validate.Request{Dir: dir, Now: benchDay()})
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var docs int
			for b.Loop() {
				r, err := bc.run()
				if err != nil {
					b.Fatal(err)
				}
				if r.ExitCode() != 0 {
					b.Fatalf("generated repository does not validate clean: %d deny; first: %+v", r.Summary.Deny, r.Findings[0])
				}
				docs = r.Summary.Documents
			}
			b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkChangedSince compares `validate --changed-since HEAD` with one
// changed campaign against a full validate of the same 10,000-campaign
// repository (issue target: at least 10x faster).
func BenchmarkChangedSince(b *testing.B) {
	src := bigRepo(b, 10_000)
	r := gitrepotest.New(b)
	r.CopyDir(src, "gov")
	r.Commit("generated governance")
	gov := filepath.Join(r.Dir, "gov")
	// git keeps no empty folders: recreate the (empty) policies folder
	// mops.yaml names, or every run stops at the policy stage.
	if err := os.MkdirAll(filepath.Join(gov, "policies"), 0o755); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(gov, "campaigns", "gen-00042.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(file, append(data, []byte("# edited\n")...), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			r, err := validate.Repository(context.Background(), validate.Request{Dir: gov, Now: benchDay()})
			if err != nil {
				b.Fatal(err)
			}
			if r.Summary.Documents < 10_000 || r.ExitCode() != 0 {
				b.Fatalf("full run checked %d documents, exit %d: %v", r.Summary.Documents, r.ExitCode(), r.Findings[:min(3, len(r.Findings))])
			}
		}
	})
	changed := func(b *testing.B, cold bool) {
		for b.Loop() {
			if cold {
				b.StopTimer()
				if err := os.RemoveAll(filepath.Join(gov, ".mops")); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			r, err := validate.Repository(context.Background(), validate.Request{Dir: gov, Now: benchDay(), ChangedSince: "HEAD"})
			if err != nil {
				b.Fatal(err)
			}
			if r.Summary.Documents > 100 || r.ExitCode() != 0 {
				b.Fatalf("changed-only run checked %d documents, exit %d: %v", r.Summary.Documents, r.ExitCode(), r.Findings[:min(3, len(r.Findings))])
			}
		}
	}
	// Cold: no names cache (a fresh clone without a restored cache);
	// every file is read once. Warm: the cache a previous run left.
	b.Run("changed-since-cold", func(b *testing.B) { changed(b, true) })
	b.Run("changed-since", func(b *testing.B) { changed(b, false) })
}
