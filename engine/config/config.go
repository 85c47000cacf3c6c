// Package config answers questions about a repository's mops.yaml with the
// defaults mops itself applies, so that scripts (the GitHub action's
// run.sh) ask mops instead of parsing YAML with sed.
package config

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mops-dev/mops/engine/load"
	"github.com/mops-dev/mops/engine/model"
)

// key is one question mops.yaml answers.
type key struct {
	name, help string
	get        func(name string, p model.Project) []string
}

// keys are the keys Get knows, in the order `mops config get --help` lists them.
func keys() []key {
	return []key{
		{"name", "metadata.name of the Project", func(name string, _ model.Project) []string { return []string{name} }},
		{"changelog", "the change log file apply writes (spec.changelog, default " + model.DefaultChangelog + ")",
			func(_ string, p model.Project) []string { return []string{p.ChangelogFile()} }},
		{"defaultSystem", "spec.defaultSystem: the system plan, apply and drift use without --system",
			func(_ string, p model.Project) []string { return []string{p.DefaultSystem} }},
		{"systems", "the names of spec.systems, one a line",
			func(_ string, p model.Project) []string {
				out := make([]string, 0, len(p.Systems))
				for _, s := range p.Systems {
					out = append(out, s.Name)
				}
				return out
			}},
	}
}

// Keys returns each key with its description.
func Keys() [][2]string {
	var out [][2]string
	for _, k := range keys() {
		out = append(out, [2]string{k.name, k.help})
	}
	return out
}

// Values maps each key to its values (one for most keys; one per system
// for systems).
type Values map[string][]string

// Read reads mops.yaml of the repository in fsys and answers every key.
// A mops.yaml that is missing or broken is an error naming file, line and
// column; the rest of the repository is not read.
func Read(fsys fs.FS) (Values, error) {
	b, findings, err := load.Load(fsys, load.Options{Files: []string{}})
	if err != nil {
		return nil, err
	}
	for _, f := range findings {
		if f.Blocking() && f.File == load.ProjectFile {
			if f.Line > 0 {
				return nil, fmt.Errorf("%s:%d:%d: %s", f.File, f.Line, f.Column, f.Message)
			}
			return nil, fmt.Errorf("%s", f.Message)
		}
	}
	if b.Project == nil {
		return nil, fmt.Errorf("%s holds no Project document", load.ProjectFile)
	}
	p, err := b.ProjectSpec()
	if err != nil {
		return nil, fmt.Errorf("%s: spec: %w", load.ProjectFile, err)
	}
	v := Values{}
	for _, k := range keys() {
		v[k.name] = k.get(b.Project.Name, p)
	}
	return v, nil
}

// Get returns the values of one key.
func (v Values) Get(key string) ([]string, error) {
	vals, ok := v[key]
	if !ok {
		names := make([]string, 0, len(v))
		for _, k := range keys() {
			names = append(names, k.name)
		}
		return nil, fmt.Errorf("unknown key %q; known keys: %s", key, strings.Join(names, ", "))
	}
	return slices.Clone(vals), nil
}
