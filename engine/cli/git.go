package cli

import (
	"github.com/go-git/go-git/v5"
)

// gitState returns the HEAD commit of the git repository holding dir and
// whether its working tree has uncommitted changes; empty outside git.
func gitState(dir string) (string, bool) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return "", false
	}
	head, err := repo.Head()
	if err != nil {
		return "", false
	}
	wt, err := repo.Worktree()
	if err != nil {
		return head.Hash().String(), false
	}
	st, err := wt.Status()
	return head.Hash().String(), err == nil && !st.IsClean()
}
