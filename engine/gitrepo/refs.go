package gitrepo

import (
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// RefNames lists the names a user types for a revision: HEAD, the local
// and remote-tracking branches and the tags, short form, sorted.
func (r *Repo) RefNames() []string {
	out := []string{"HEAD"}
	it, err := r.repo.References()
	if err != nil {
		return out
	}
	_ = it.ForEach(func(ref *plumbing.Reference) error {
		n := ref.Name()
		if n.IsBranch() || n.IsRemote() || n.IsTag() {
			out = append(out, n.Short())
		}
		return nil
	})
	slices.Sort(out[1:])
	return slices.Compact(out)
}
