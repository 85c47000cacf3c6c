package gitrepo

import "github.com/go-git/go-git/v5"

// State returns the HEAD commit of the git repository holding dir and
// whether its working tree has uncommitted changes; "" and false outside
// git. Plans and drift reports record it.
func State(dir string) (commit string, dirty bool) {
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

// Prefix returns dir's path relative to the root of its git work tree
// (slash-separated; "" at the root or outside git), so annotations and
// SARIF locations name files as GitHub sees them.
func Prefix(dir string) string {
	repo, err := Open(dir)
	if err != nil || repo.Subdir() == "." {
		return ""
	}
	return repo.Subdir()
}
