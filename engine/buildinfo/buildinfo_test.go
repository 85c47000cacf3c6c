package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestResolve(t *testing.T) {
	checkout := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/mops-dev/mops", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	installed := &debug.BuildInfo{Main: debug.Module{Path: "github.com/mops-dev/mops", Version: "v1.4.0"}}
	cases := []struct {
		name                  string
		version, commit, date string
		bi                    *debug.BuildInfo
		want                  string
	}{
		{"release build: the linker's values win", "1.4.0", "fedcba9876543210", "2026-12-02T00:00:00Z", checkout,
			"mops 1.4.0 (commit fedcba987654, built 2026-12-02T00:00:00Z)"},
		{"a build in an edited checkout", "", "", "", checkout,
			"mops dev+dirty (commit 0123456789ab, built 2026-12-01T10:00:00Z)"},
		{"go install pkg@v1.4.0 records the module version, no VCS", "", "", "", installed,
			"mops v1.4.0 (commit unknown, built unknown)"},
		{"no build information at all", "", "", "", nil,
			"mops dev (commit unknown, built unknown)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := resolve(c.version, c.commit, c.date, c.bi).String(); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}
