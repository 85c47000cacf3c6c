#!/usr/bin/env bash
# install.sh — put a mops binary on the PATH for the rest of the job.
#
# MOPS_VERSION selects it:
#   ""         the action's own ref (ACTION_REF, e.g. v1, main or a commit),
#              with go install; when the action was used from a local path
#              (uses: ./.github/actions/mops) there is no ref, and mops is
#              built from the source the action came with, as with "source"
#   "source"   go build ./cmd/mops in the repository that holds this action
#              (for mops's own CI: the checked-out pull request)
#   anything   go install github.com/mops-dev/mops/cmd/mops@MOPS_VERSION
#              (a tag, a branch, a commit, "latest")
#
# ACTION_PATH is the folder of action.yml (github.action_path); the binary
# goes to MOPS_BIN_DIR (default $RUNNER_TEMP/mops-bin). Outputs: bin, version.
set -euo pipefail

version=${MOPS_VERSION:-${ACTION_REF:-}}
if [ -z "$version" ]; then
	version=source
fi
action_path=${ACTION_PATH:-$(cd "$(dirname "$0")" && pwd)}
bin_dir=${MOPS_BIN_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mops-bin}
mkdir -p "$bin_dir"

if [ "$version" = source ]; then
	src=$(cd "$action_path/../../.." && pwd)
	if [ ! -f "$src/go.mod" ] || [ ! -d "$src/cmd/mops" ]; then
		echo "mops action: $src has no mops source (go.mod, cmd/mops); set the version input" >&2
		exit 2
	fi
	echo "mops action: building mops from $src" >&2
	(cd "$src" && go build -trimpath -o "$bin_dir/mops" ./cmd/mops)
else
	echo "mops action: go install github.com/mops-dev/mops/cmd/mops@$version" >&2
	GOBIN=$bin_dir go install "github.com/mops-dev/mops/cmd/mops@$version"
fi

"$bin_dir/mops" version >&2
if [ -n "${GITHUB_PATH:-}" ]; then
	echo "$bin_dir" >>"$GITHUB_PATH"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	{
		echo "bin=$bin_dir/mops"
		echo "version=$("$bin_dir/mops" version | sed 's/^mops //')"
	} >>"$GITHUB_OUTPUT"
fi
