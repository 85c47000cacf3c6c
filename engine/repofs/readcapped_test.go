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
		want  int
	}{
		{"regular file under the cap", func() fs.File { f, _ := fstest.MapFS{"f": {Data: content}}.Open("f"); return f }, 5000, 1000},
		{"regular file over the cap reads one byte past it", func() fs.File { f, _ := fstest.MapFS{"f": {Data: content}}.Open("f"); return f }, 600, 601},
		{"no Stat, short reads", func() fs.File { return &trickleFile{data: content} }, 5000, 1000},
		{"no Stat, over the cap", func() fs.File { return &trickleFile{data: content} }, 10, 11},
		{"empty file", func() fs.File { f, _ := fstest.MapFS{"f": {}}.Open("f"); return f }, 10, 0},
	} {
		got, err := repofs.ReadCapped(c.open(), c.limit)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != c.want || !bytes.Equal(got, content[:c.want]) {
			t.Errorf("%s: read %d bytes, want the first %d", c.name, len(got), c.want)
		}
	}
}
