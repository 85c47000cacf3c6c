package repofs_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/mops-dev/mops/engine/repofs"
)

// trickleFile returns its content one byte per Read and has no Stat, like
// some network and virtual file systems.
type trickleFile struct{ data []byte }

func (f *trickleFile) Stat() (fs.FileInfo, error) { return nil, errors.New("no stat here") }
func (f *trickleFile) Close() error               { return nil }
func (f *trickleFile) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:1], f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadCapped(t *testing.T) {
	content := bytes.Repeat([]byte("abcdefghij"), 100) // 1,000 bytes
	for _, c := range []struct {
		name  string
		open  func() fs.File
		limit int64
		want  int // -1: too large
	}{
		{"regular file under the cap", func() fs.File { f, _ := fstest.MapFS{"f": {Data: content}}.Open("f"); return f }, 5000, 1000},
		{"regular file at the cap", func() fs.File { f, _ := fstest.MapFS{"f": {Data: content}}.Open("f"); return f }, 1000, 1000},
		{"regular file over the cap", func() fs.File { f, _ := fstest.MapFS{"f": {Data: content}}.Open("f"); return f }, 600, -1},
		{"no Stat, short reads", func() fs.File { return &trickleFile{data: content} }, 5000, 1000},
		{"no Stat, over the cap", func() fs.File { return &trickleFile{data: content} }, 10, -1},
		{"empty file", func() fs.File { f, _ := fstest.MapFS{"f": {}}.Open("f"); return f }, 10, 0},
	} {
		got, err := repofs.ReadCapped(c.open(), c.limit)
		if c.want < 0 {
			if !errors.Is(err, repofs.ErrTooLarge) {
				t.Errorf("%s: %d bytes, %v; want ErrTooLarge", c.name, len(got), err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != c.want || !bytes.Equal(got, content[:c.want]) {
			t.Errorf("%s: read %d bytes, want the first %d", c.name, len(got), c.want)
		}
	}
}

// overFile reports a size over any limit and fails if it is read.
type overFile struct{ fs.FileInfo }

func (f overFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f overFile) Close() error               { return nil }
func (f overFile) Read([]byte) (int, error) {
	return 0, errors.New("read a file known to be too large")
}
func (f overFile) Size() int64       { return 1 << 40 }
func (f overFile) Mode() fs.FileMode { return 0o644 }

// TestReadCappedJudgesBySizeFirst: a regular file whose size is over the
// limit is refused without reading (nor allocating) a byte of it.
func TestReadCappedJudgesBySizeFirst(t *testing.T) {
	if _, err := repofs.ReadCapped(overFile{}, 0); !errors.Is(err, repofs.ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}
