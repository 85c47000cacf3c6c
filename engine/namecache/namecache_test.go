package namecache

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

func name(file, n string, line int) load.Name {
	return load.Name{Kind: model.KindCampaign, Name: n, Pos: source.Pos{File: file, Line: line, Column: 9}}
}

func TestRoundTripPlacesNamesInTheAskingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache", "names")
	c := Open(path)
	c.Put("h1", []load.Name{name("a.yaml", "spring", 4), name("a.yaml", "summer", 10)})
	c.Put("h2", []load.Name{name("b.yaml", "autumn", 4)})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	reopened := Open(path)
	if reopened.Len() != 2 {
		t.Fatalf("reopened cache holds %d blobs, want 2", reopened.Len())
	}
	got, ok := reopened.Get("h1", "moved/a.yaml")
	want := []load.Name{name("moved/a.yaml", "spring", 4), name("moved/a.yaml", "summer", 10)}
	if !ok || !cmp.Equal(got, want) {
		t.Errorf("Get after reopening = %v, %v; want %v", got, ok, want)
	}
}

func TestSaveKeepsOnlyWhatTheRunUsed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "names")
	c := Open(path)
	c.Put("old", []load.Name{name("a.yaml", "gone", 4)})
	c.Put("kept", []load.Name{name("b.yaml", "kept", 4)})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = Open(path)
	if _, ok := c.Get("kept", "b.yaml"); !ok {
		t.Fatal("kept entry missing")
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = Open(path)
	if _, ok := c.Get("old", "a.yaml"); ok {
		t.Error("an entry no run asked for survived Save")
	}
	if c.Len() != 1 {
		t.Errorf("cache holds %d blobs, want 1", c.Len())
	}
}

func TestBrokenCacheIsEmpty(t *testing.T) {
	dir := t.TempDir()
	for _, content := range []string{
		"",
		"mops-names v0\nh\tCampaign\t4\t9\tx\n",
		"mops-names v1\nh\tCampaign\tfour\t9\tx\n",
		"mops-names v1\nh\tNoSuchKind\t4\t9\tx\n",
		"mops-names v1\nh\tCampaign\t4\t9\n",
		"mops-names v1\nh\tCampaign\t4\t9\tspring\n",        // cut short: no end line
		"mops-names v1\nh\tCampaign\t4\t9\tspring\nend 2\n", // wrong count
		"mops-names v1\nh\tCampaign\t4\t9\tspr",             // cut mid-name
	} {
		path := filepath.Join(dir, "names")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if c := Open(path); c.Len() != 0 {
			t.Errorf("cache %q read as %d entries, want none", content, c.Len())
		}
	}
}

func TestUnstorableNamesAreNotCached(t *testing.T) {
	c := Open(filepath.Join(t.TempDir(), "names"))
	c.Put("h", []load.Name{name("a.yaml", "ok", 4), name("a.yaml", "tab\there", 9)})
	if _, ok := c.Get("h", "a.yaml"); ok {
		t.Error("a name with a tab was cached: the file format cannot hold it")
	}
}
