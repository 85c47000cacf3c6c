// Package buildinfo says which mops is running: its version, the commit it
// was built from and when. A release build gets all three from the linker
// (goreleaser's -X main.version=… flags, passed on by cmd/mops); any other
// build falls back to what the Go toolchain recorded (the module version
// of a `go install pkg@vX`, the VCS revision and time of a build inside a
// checkout).
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Info identifies a build. Empty fields are unknown.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
}

// Resolve returns the build's Info: the linker-stamped values where given,
// else the toolchain's build information.
func Resolve(version, commit, date string) Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return resolve(version, commit, date, bi)
}

func resolve(version, commit, date string, bi *debug.BuildInfo) Info {
	in := Info{Version: version, Commit: commit, Date: date}
	if bi == nil {
		if in.Version == "" {
			in.Version = "dev"
		}
		return in
	}
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if in.Commit == "" {
				in.Commit = s.Value
			}
		case "vcs.time":
			if in.Date == "" {
				in.Date = s.Value
			}
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if in.Version == "" {
		switch v := bi.Main.Version; {
		case v != "" && v != "(devel)":
			in.Version = v
		default:
			in.Version = "dev"
			if modified {
				in.Version = "dev+dirty"
			}
		}
	}
	return in
}

// ShortCommit returns the first 12 hex digits of the commit, or "unknown".
func (in Info) ShortCommit() string {
	switch {
	case in.Commit == "":
		return "unknown"
	case len(in.Commit) > 12:
		return in.Commit[:12]
	}
	return in.Commit
}

// String is the one line both `mops version` and `mops --version` print:
// "mops v1.2.0 (commit 0123456789ab, built 2026-12-01T10:00:00Z)".
func (in Info) String() string {
	v := in.Version
	if v == "" {
		v = "dev"
	}
	date := in.Date
	if date == "" {
		date = "unknown"
	}
	return fmt.Sprintf("mops %s (commit %s, built %s)", v, in.ShortCommit(), strings.TrimSpace(date))
}
