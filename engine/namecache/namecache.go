// Package namecache remembers which documents a file's content declares,
// by the content's git blob hash, so that `validate --changed-since` can
// learn the campaign names of unchanged files (for duplicate checks)
// without reading them.
//
// Entries are content-addressed: a blob hash always declares the same
// names, so an entry never goes stale and the cache survives checkouts,
// branch switches and CI cache restores. It lives in .mops/cache/, which
// is local state like the sandboxes'. Deleting it is always safe: the next
// run reads the files and writes it again.
package namecache

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mops-dev/mops/engine/atomicfile"
	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/repofs"
	"github.com/mops-dev/mops/engine/source"
)

// header is the first line of the cache file; a file with another first
// line (another format version) is ignored and replaced.
const header = "mops-names v1"

// Path is where a governance folder keeps its cache, relative to it.
const Path = ".mops/cache/names"

// entry is one document of a blob: kind, name and where the name stands.
type entry struct {
	kind         model.Kind
	name         string
	line, column int
}

// Cache maps blob hashes to the documents they declare. It is safe for
// concurrent use.
type Cache struct {
	path string

	mu      sync.Mutex
	entries map[string][]entry
	// used records the hashes asked for or added in this run: Save keeps
	// only those, so the cache holds what the repository holds now.
	used  map[string]bool
	dirty bool
}

// Open reads the cache at path. A missing, unreadable or malformed cache
// is an empty one: it only ever saves time.
func Open(path string) *Cache {
	c := &Cache{path: path, entries: map[string][]entry{}, used: map[string]bool{}}
	data, err := repofs.ReadPath(path, repofs.MaxFileSize)
	if err != nil {
		return c
	}
	entries, err := parse(data)
	if err != nil {
		c.dirty = true // rewrite it
		return c
	}
	c.entries = entries
	return c
}

func parse(data []byte) (map[string][]entry, error) {
	out := map[string][]entry{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	if !sc.Scan() || sc.Text() != header {
		return nil, errors.New("not a names cache of this version")
	}
	lines, ended := 0, false
	for n := 2; sc.Scan(); n++ {
		if ended {
			return nil, fmt.Errorf("line %d: after the end line", n)
		}
		if rest, ok := strings.CutPrefix(sc.Text(), "end "); ok {
			if count, err := strconv.Atoi(rest); err != nil || count != lines {
				return nil, fmt.Errorf("line %d: end line counts %q entries, the file holds %d", n, rest, lines)
			}
			ended = true
			continue
		}
		lines++
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: want 5 tab-separated fields", n)
		}
		line, err1 := strconv.Atoi(f[2])
		col, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || line < 1 || col < 1 || f[0] == "" || f[4] == "" {
			return nil, fmt.Errorf("line %d: malformed entry", n)
		}
		kind, ok := model.ParseKind(f[1])
		if !ok {
			return nil, fmt.Errorf("line %d: unknown kind %q", n, f[1])
		}
		out[f[0]] = append(out[f[0]], entry{kind: kind, name: f[4], line: line, column: col})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !ended {
		return nil, errors.New("no end line: the file was cut short")
	}
	return out, nil
}

// Get returns the documents that content with blob hash declares, placed in
// file.
func (c *Cache) Get(hash, file string) ([]load.Name, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	es, ok := c.entries[hash]
	if !ok {
		return nil, false
	}
	c.used[hash] = true
	out := make([]load.Name, len(es))
	for i, e := range es {
		out[i] = load.Name{Kind: e.kind, Name: e.name, Pos: source.Pos{File: file, Line: e.line, Column: e.column}}
	}
	return out, true
}

// Put records the documents content with blob hash declares. Names that
// the file format cannot hold (tabs, line breaks) are not cached.
func (c *Cache) Put(hash string, names []load.Name) {
	es := make([]entry, 0, len(names))
	for _, n := range names {
		if n.Name == "" || strings.ContainsAny(n.Name, "\t\r\n") || n.Pos.Line < 1 || n.Pos.Column < 1 {
			return
		}
		es = append(es, entry{kind: n.Kind, name: n.Name, line: n.Pos.Line, column: n.Pos.Column})
	}
	if len(es) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.used[hash] = true
	if !slices.Equal(c.entries[hash], es) {
		c.entries[hash] = es
		c.dirty = true
	}
}

// Save writes the cache, keeping only the entries used since Open, when
// anything changed. It creates the cache folder when needed.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty && len(c.used) == len(c.entries) {
		return nil
	}
	hashes := make([]string, 0, len(c.used))
	for h := range c.used {
		if _, ok := c.entries[h]; ok {
			hashes = append(hashes, h)
		}
	}
	slices.Sort(hashes)
	var b bytes.Buffer
	b.WriteString(header + "\n")
	lines := 0
	for _, h := range hashes {
		for _, e := range c.entries[h] {
			fmt.Fprintf(&b, "%s\t%s\t%d\t%d\t%s\n", h, e.kind, e.line, e.column, e.name)
			lines++
		}
	}
	fmt.Fprintf(&b, "end %d\n", lines)
	// Unsynced: after a crash the file may be cut short, which the end
	// line reveals, and a lost cache only costs one slower run.
	if err := atomicfile.WriteUnsynced(c.path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("save names cache: %w", err)
	}
	return nil
}

// Len returns the number of blobs cached.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
