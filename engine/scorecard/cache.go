package scorecard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/mops-dev/mops/engine/atomicfile"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/policies"
	"github.com/mops-dev/mops/schemas"
)

// CachePath is where the facts of each commit are kept, relative to the
// governance folder: .mops/ is tooling, never a governance document.
const CachePath = ".mops/cache/scorecard.json"

// cacheFormat is bumped when commitFacts changes meaning.
const cacheFormat = 1

// maxCacheSize bounds what is read from the cache file: 2,000 commits
// take ~2 MB, so a larger file is not one mops wrote.
const maxCacheSize = 256 << 20

// cache holds the facts of commits by hash. The facts of a commit depend
// only on the commit (its tree, its parent's tree and its date) and on the
// built-in policies and schemas, whose fingerprint the file records: a
// cache written by another build of mops is thrown away.
type cache struct {
	path    string
	commits map[string]commitFacts
	dirty   bool
}

type cacheFile struct {
	Format      int                    `json:"format"`
	Fingerprint string                 `json:"fingerprint"`
	Commits     map[string]commitFacts `json:"commits"`
}

// openCache reads the cache at path. A missing file is an empty cache; a
// file that cannot be read or was written by another build is an empty
// cache and a note saying so. The file sits in the repository folder, so
// a pull request could plant one: it is parsed as untrusted input, and at
// worst it misstates figures of commits it names, which --no-cache
// recomputes.
func openCache(path string) (*cache, string) {
	c := &cache{path: path, commits: map[string]commitFacts{}}
	if path == "" {
		return c, ""
	}
	f, err := repofs.OpenFile(path) // never a FIFO: it would block
	if errors.Is(err, fs.ErrNotExist) {
		return c, ""
	}
	if err != nil {
		return c, fmt.Sprintf("scorecard cache %s not read: %v", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCacheSize+1))
	if err != nil || len(data) > maxCacheSize {
		return c, fmt.Sprintf("scorecard cache %s not read: too large or unreadable", path)
	}
	var file cacheFile
	if err := json.Unmarshal(data, &file); err != nil {
		return c, fmt.Sprintf("scorecard cache %s not read (%v); computing again", path, err)
	}
	if file.Format != cacheFormat || file.Fingerprint != fingerprint() {
		return c, "" // another build of mops: its figures may differ
	}
	for h, facts := range file.Commits {
		if facts.Hash == h {
			c.commits[h] = facts
		}
	}
	return c, ""
}

func (c *cache) get(hash string) (commitFacts, bool) {
	f, ok := c.commits[hash]
	return f, ok
}

func (c *cache) put(f commitFacts) {
	c.commits[f.Hash] = f
	c.dirty = true
}

// save writes the cache when it learnt something.
func (c *cache) save() error {
	if c.path == "" || !c.dirty {
		return nil
	}
	data, err := json.Marshal(cacheFile{Format: cacheFormat, Fingerprint: fingerprint(), Commits: c.commits})
	if err != nil {
		return fmt.Errorf("encode scorecard cache: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return fmt.Errorf("write scorecard cache: %w", err)
	}
	if err := atomicfile.WriteUnsynced(c.path, data, 0o644); err != nil {
		return fmt.Errorf("write scorecard cache: %w", err)
	}
	return nil
}

// fingerprint hashes the built-in policies and schemas, which decide
// whether a campaign version passes.
func fingerprint() string {
	h := sha256.New()
	for _, fsys := range []fs.FS{policies.FS, schemas.FS} {
		var names []string
		_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				names = append(names, p)
			}
			return nil
		})
		sort.Strings(names)
		for _, n := range names {
			data, _ := fs.ReadFile(fsys, n)
			fmt.Fprintf(h, "%s %d\n", n, len(data))
			h.Write(data)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
