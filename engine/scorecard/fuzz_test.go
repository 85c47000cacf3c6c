package scorecard

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzCache feeds the cache reader arbitrary files: it sits in the
// repository folder, where a pull request could plant one. Reading must
// never panic, and whatever it keeps is keyed by the hash it names.
func FuzzCache(f *testing.F) {
	f.Add([]byte(`{"format": 1, "fingerprint": "x", "commits": {}}`))
	f.Add([]byte(`{"format": 1, "fingerprint": "` + fingerprint() + `", "commits": {"a": {"hash": "a", "versions": [{"name": "n", "checked": true}]}}}`))
	f.Add([]byte(`{"commits": {"a": {"hash": "b"}}}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "scorecard.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, _ := openCache(p)
		for h, facts := range c.commits {
			if facts.Hash != h {
				t.Fatalf("kept facts of %q under %q", facts.Hash, h)
			}
		}
	})
}
