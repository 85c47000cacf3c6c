package repofs_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/mops-dev/mops/engine/repofs"
)

// BenchmarkRead reads 1,000 small files two folders deep, as the loader
// does, through os.DirFS (which follows any link) and through the
// confined view, to show what confinement costs per file.
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	var names []string
	for i := range 1000 {
		name := fmt.Sprintf("campaigns/q%d/c%04d.yaml", i%4, i)
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("kind: Campaign\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		names = append(names, name)
	}
	for _, bc := range []struct {
		name string
		fsys fs.FS
	}{{"os.DirFS", os.DirFS(dir)}, {"repofs", repofs.DirFS(dir)}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				for _, n := range names {
					f, err := bc.fsys.Open(n)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := repofs.ReadCapped(f, 0); err != nil {
						b.Fatal(err)
					}
					f.Close()
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(names)), "ns/file")
		})
	}
}
