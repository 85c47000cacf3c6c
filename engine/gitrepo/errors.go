package gitrepo

import (
	"errors"
	"fmt"
	"io"
)

// ErrUnknownRef is wrapped by every error about a revision that does not
// resolve to a commit: test for it with errors.Is.
var ErrUnknownRef = errors.New("unknown git revision")

// ErrNotRepository is wrapped when a folder is not inside a git repository.
var ErrNotRepository = errors.New("not inside a git repository")

// RefError reports a revision that could not be resolved. When the
// repository is a shallow clone, the message says how to fetch the history
// the revision may be missing from.
type RefError struct {
	// Ref is the revision as the user wrote it.
	Ref string
	// Shallow is true when the repository is a shallow clone.
	Shallow bool
	// Err is go-git's reason, for debugging.
	Err error
}

func (e *RefError) Error() string {
	if e.Shallow {
		return fmt.Sprintf("unknown revision %q: this is a shallow clone without %s; fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)", e.Ref, e.Ref)
	}
	if errors.Is(e.Err, io.EOF) {
		return fmt.Sprintf("unknown revision %q: it goes back past the first commit", e.Ref)
	}
	return fmt.Sprintf("unknown revision %q: no branch, tag or commit by that name (use a branch, a tag, a commit hash, HEAD~1 or origin/main)", e.Ref)
}

// Unwrap lets errors.Is find both ErrUnknownRef and go-git's reason.
func (e *RefError) Unwrap() []error { return []error{ErrUnknownRef, e.Err} }
