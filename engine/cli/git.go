package cli

import (
	"path/filepath"
	"strings"

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

// gitPrefix returns dir's path relative to the root of its git work tree
// (slash-separated, "" at the root or outside git), so annotations and
// SARIF locations name files as GitHub sees them.
func gitPrefix(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return ""
	}
	wt, err := repo.Worktree()
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(wt.Filesystem.Root(), abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}
