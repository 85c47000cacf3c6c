package validate

import (
	"context"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

// openCounter records which files are opened.
type openCounter struct {
	fs.FS
	mu     sync.Mutex
	opened map[string]bool
}

func (c *openCounter) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opened[name] = true
	c.mu.Unlock()
	return c.FS.Open(name)
}

// fakeBase is a base revision whose contents are given, and which knows
// the names of the files in names without their being read.
type fakeBase struct {
	files map[string]string
	names map[string][]load.Name
}

func (b fakeBase) Same(file string, data []byte) bool {
	content, ok := b.files[file]
	return ok && content == string(data)
}

func (b fakeBase) Files() []string {
	var out []string
	for f := range b.files {
		out = append(out, f)
	}
	return out
}

func (b fakeBase) Names(file string, _ fs.DirEntry) ([]load.Name, bool) {
	n, ok := b.names[file]
	return n, ok
}

func (b fakeBase) Scanned(string, []byte, []load.Name) {}

const campaign = "apiVersion: mops.dev/v1\nkind: Campaign\nmetadata:\n  name: %s\nspec: {}\n"

// TestRunChangedSkipsKnownFiles checks that a file whose names the
// baseline knows is not read, and that its names still catch a duplicate
// in a changed file, at the position the baseline gives.
func TestRunChangedSkipsKnownFiles(t *testing.T) {
	project := "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: p\nspec: {}\n"
	known := strings.Replace(campaign, "%s", "on-disk-name", 1)
	fsys := &openCounter{FS: fstest.MapFS{
		"mops.yaml":        {Data: []byte(project)},
		"a-unchanged.yaml": {Data: []byte(known)},
		"b-changed.yaml":   {Data: []byte(strings.Replace(campaign, "%s", "dup", 1))},
		"c-unchanged.yaml": {Data: []byte(strings.Replace(campaign, "%s", "other", 1))},
	}, opened: map[string]bool{}}
	base := fakeBase{
		files: map[string]string{
			"mops.yaml":        project,
			"a-unchanged.yaml": known,
			"b-changed.yaml":   strings.Replace(campaign, "%s", "before", 1),
			"c-unchanged.yaml": strings.Replace(campaign, "%s", "other", 1),
		},
		names: map[string][]load.Name{
			"a-unchanged.yaml": {{Kind: model.KindCampaign, Name: "dup", Pos: source.Pos{File: "a-unchanged.yaml", Line: 4, Column: 9}}},
		},
	}
	r, err := RunChanged(context.Background(), fsys, nil, Options{}, base)
	if err != nil {
		t.Fatal(err)
	}
	if fsys.opened["a-unchanged.yaml"] {
		t.Error("a-unchanged.yaml was read although the baseline knew its names")
	}
	if !fsys.opened["c-unchanged.yaml"] {
		t.Error("c-unchanged.yaml was not read: only files the baseline knows may be skipped")
	}
	var dup *source.Finding
	for i, f := range r.Findings {
		if f.File == "b-changed.yaml" && strings.Contains(f.Message, "duplicate") {
			dup = &r.Findings[i]
		}
	}
	if dup == nil || !strings.Contains(dup.Message, "a-unchanged.yaml:4:9") {
		t.Fatalf("want the changed file's name reported as a duplicate of the known file's at a-unchanged.yaml:4:9; findings: %+v", r.Findings)
	}
}

// TestRunChangedReportsUnreadableFiles: a new file that loading cannot
// read (here, one over spec.maxFileSize) was never compared with the base;
// a changed-only run must still report it, as the full run does, rather
// than pass.
func TestRunChangedReportsUnreadableFiles(t *testing.T) {
	project := "apiVersion: mops.dev/v1\nkind: Project\nmetadata:\n  name: p\nspec:\n  maxFileSize: 200\n"
	fsys := fstest.MapFS{
		"mops.yaml": {Data: []byte(project)},
		"a.yaml":    {Data: []byte(strings.Replace(campaign, "%s", "a", 1))},
		"big.yaml":  {Data: []byte(strings.Repeat("#", 1000))},
	}
	base := fakeBase{files: map[string]string{"mops.yaml": project, "a.yaml": strings.Replace(campaign, "%s", "a", 1)}}
	r, err := RunChanged(context.Background(), fsys, nil, Options{}, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		if f.File == "big.yaml" && strings.Contains(f.Message, "larger than the 200-byte limit") {
			return
		}
	}
	t.Fatalf("the new oversized file is not reported: %+v", r.Findings)
}
