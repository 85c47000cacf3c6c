package load

import (
	"bytes"
	"strings"

	"github.com/mops-dev/mops/engine/model"
	"github.com/mops-dev/mops/engine/source"
)

// Name is a document read without parsing: its kind, name and where the
// name stands. Shallow loading keeps duplicate-name checks exact for files
// it does not parse.
type Name struct {
	Kind model.Kind
	Name string
	Pos  source.Pos
}

// scanCampaigns reads the names of a file's documents without parsing YAML,
// when the file is simple enough to be sure: every document has a
// top-level `kind: Campaign` and a block `metadata:` mapping with a `name:`
// entry. ok is false for anything else (flow mappings, other kinds,
// merge keys, anchors in the envelope, quoted names, tabs): the caller
// then parses the file for real.
func scanCampaigns(file string, data []byte) (docs []Name, ok bool) {
	if bytes.IndexByte(data, '\t') >= 0 {
		return nil, false
	}
	var cur *Name
	kindSeen, inMeta := false, false
	finish := func() bool {
		if cur == nil {
			return true
		}
		if !kindSeen || cur.Name == "" {
			return false
		}
		docs = append(docs, *cur)
		return true
	}
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line == "---" || strings.HasPrefix(line, "--- ") {
			if !finish() {
				return nil, false
			}
			cur, kindSeen, inMeta = nil, false, false
			continue
		}
		if cur == nil {
			cur = &Name{Kind: model.KindCampaign}
		}
		indent := len(line) - len(trimmed)
		switch {
		case indent == 0 && strings.HasPrefix(line, "<<"):
			return nil, false // a merge key could bring in another metadata
		case inMeta && (strings.ContainsAny(line, "&*") || strings.Contains(line, "<<")):
			return nil, false // anchors, aliases or merges in the metadata
		}
		if indent == 0 {
			inMeta = false
			key, val, _ := strings.Cut(line, ":")
			val = strings.TrimSpace(val)
			switch key {
			case "kind":
				if val != "Campaign" {
					return nil, false
				}
				kindSeen = true
			case "metadata":
				if val != "" {
					return nil, false // flow style: parse it
				}
				inMeta = true
			}
			continue
		}
		if inMeta && cur.Name == "" && strings.HasPrefix(trimmed, "name:") {
			name := strings.TrimSpace(strings.TrimPrefix(trimmed, "name:"))
			if j := strings.Index(name, " #"); j >= 0 {
				name = strings.TrimSpace(name[:j])
			}
			col := len(line) - len(strings.TrimLeft(strings.TrimPrefix(trimmed, "name:"), " ")) + 1
			if name == "" || strings.ContainsAny(name, "\"'{[") {
				return nil, false
			}
			cur.Name = name
			cur.Pos = source.Pos{File: file, Line: i + 1, Column: col}
		}
	}
	if !finish() || len(docs) == 0 {
		return nil, false
	}
	return docs, true
}

// campaignsOnly reports whether data looks like a file of Campaign
// documents only: every document has exactly one top-level `kind:` line,
// and it says Campaign. It tells files apart for LoadSplit, which reads a
// file so recognised a second time and parses it then; a file it misjudges
// is still checked exactly (see Split.Read), so it only needs to be right
// for the files people write, and never to let a valid document of another
// kind through.
func campaignsOnly(data []byte) bool {
	docs, kinds, started := 0, 0, false
	end := func() bool {
		if !started {
			return true // empty, or comments only
		}
		docs++
		started = false
		return kinds == 1
	}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\r\n")
		if line == "---" || strings.HasPrefix(line, "--- ") || line == "..." {
			if !end() {
				return false
			}
			kinds = 0
			continue
		}
		if line == "" || line[0] == ' ' || line[0] == '#' {
			continue // inside the document, or nothing
		}
		started = true
		key, val, _ := strings.Cut(line, ":")
		if key != "kind" {
			continue
		}
		if v, _, _ := strings.Cut(val, " #"); strings.TrimSpace(v) != "Campaign" {
			return false
		}
		kinds++
	}
	return end() && docs > 0
}
