package render

import (
	"path"
	"strings"
)

// repoPath returns file as a path from the git root: PathPrefix joined with
// the repository-relative file, in slash form. A finding without a file
// (one about the repository as a whole) stays without a file.
func repoPath(prefix, file string) string {
	if file == "" {
		return ""
	}
	prefix = strings.ReplaceAll(prefix, `\`, "/")
	if prefix == "" || path.Clean(prefix) == "." {
		return file
	}
	return path.Join(prefix, file)
}
