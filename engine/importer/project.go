package importer

import (
	"fmt"
	"time"

	"github.com/mops-dev/mops/engine/model"
)

// OwnSandbox returns system sys as a new repository declares it, and for
// a sandbox the seed file that goes with it. mops reads and writes only
// inside a repository, so a new repository cannot point at another's
// sandbox: it gets its own, with the same state path, seeded with state
// (what the sandbox's state file held at import), so that it plans empty
// against what was imported. Any other system is returned as it is, with
// no file (tokenEnv names an environment variable: mops.yaml never holds a
// token).
func OwnSandbox(sys model.System, state []byte) (model.System, *File) {
	if sys.Type != "sandbox" {
		return sys, nil
	}
	sys.Seed = "live/" + sys.Name + "-seed.json"
	return sys, &File{Path: sys.Seed, Name: sys.Name, Data: state}
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
