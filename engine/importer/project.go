package importer

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/mops-dev/mops/engine/model"
)

// Relocate returns system sys as a repository at toRoot must declare it to
// reach the same live system as the repository at fromRoot declares it. A
// sandbox's state and seed paths resolve against the repository root, so
// they are rewritten relative to toRoot; other fields are copied as they
// are (tokenEnv names an environment variable: mops.yaml never holds a
// token).
func Relocate(sys model.System, fromRoot, toRoot string) (model.System, error) {
	if sys.Type != "sandbox" {
		return sys, nil
	}
	to, err := filepath.Abs(toRoot)
	if err != nil {
		return sys, fmt.Errorf("relocate system %s: %w", sys.Name, err)
	}
	from, err := filepath.Abs(fromRoot)
	if err != nil {
		return sys, fmt.Errorf("relocate system %s: %w", sys.Name, err)
	}
	move := func(p string) (string, error) {
		if p == "" {
			return "", nil
		}
		abs := filepath.FromSlash(p)
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(from, abs)
		}
		rel, err := filepath.Rel(to, abs)
		if err != nil {
			return "", fmt.Errorf("relocate system %s: %s cannot be reached from %s: %w", sys.Name, abs, to, err)
		}
		return filepath.ToSlash(rel), nil
	}
	if sys.State, err = move(sys.State); err != nil {
		return sys, err
	}
	if sys.Seed, err = move(sys.Seed); err != nil {
		return sys, err
	}
	return sys, nil
}

// ProjectFile returns a minimal mops.yaml: a Project named name whose only
// and default system is sys.
func ProjectFile(name string, sys model.System, now time.Time) ([]byte, error) {
	s := mapping("name", sys.Name, "type", sys.Type)
	for _, kv := range [][2]string{
		{"state", sys.State}, {"seed", sys.Seed}, {"baseURL", sys.BaseURL}, {"tokenEnv", sys.TokenEnv},
		{"instanceURL", sys.InstanceURL}, {"apiVersion", sys.APIVersion},
	} {
		if kv[1] != "" {
			s.Content = append(s.Content, str(kv[0]), str(kv[1]))
		}
	}
	doc := mapping(
		"apiVersion", model.APIVersion,
		"kind", string(model.KindProject),
		"metadata", mapping("name", Slug(name)),
		"spec", mapping(
			"defaultSystem", sys.Name,
			"systems", sequence(s),
		),
	)
	head := []string{
		fmt.Sprintf("Imported from %s on %s by mops import.", sys.Name, now.UTC().Format(time.DateOnly)),
		"A minimal Project: add RACI, conventions, SLAs, consent policies and",
		"campaigns as the repository grows (see mops schema Project).",
	}
	data, err := encode(head, doc)
	if err != nil {
		return nil, fmt.Errorf("encode mops.yaml: %w", err)
	}
	return data, nil
}
