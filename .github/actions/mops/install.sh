#!/usr/bin/env bash
# install.sh — put a mops binary on the PATH for the rest of the job.
#
# Usage: install.sh resolve   decide how to get mops; outputs mode (download
#                             or source) and go-sum (for the Go cache)
#        install.sh           get it; outputs bin, version
#
# MOPS_VERSION selects it (default: the action's own ref, ACTION_REF):
#   vX.Y.Z        download the release vX.Y.Z: mops_X.Y.Z_<os>_<arch>.tar.gz
#                 (.zip on Windows), checked against the release's
#                 checksums.txt; a mismatch is refused
#   vX            the newest release vX.*.* (the release workflow moves vX to
#                 it, so the action's own vX ref downloads its own release)
#   source, or the action used from a local path (no ref)
#                 go build ./cmd/mops in the repository that holds the action
#   anything else (a branch, a commit)
#                 the action's own ref: build the action's checkout, which is
#                 that ref; another ref: go install ...@MOPS_VERSION
#
# Environment: ACTION_PATH (github.action_path), MOPS_BIN_DIR (default
# $RUNNER_TEMP/mops-bin), MOPS_RELEASE_URL (default
# https://github.com/mops-dev/mops/releases/download), MOPS_RELEASES_API
# (default https://api.github.com/repos/mops-dev/mops/releases), GH_TOKEN
# (optional, for the API's rate limit), RUNNER_OS and RUNNER_ARCH (default:
# this machine's).
set -euo pipefail

log() { printf 'mops action: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}
output() {
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
	else
		log "output $1=$2"
	fi
}

version=${MOPS_VERSION:-${ACTION_REF:-}}
version=${version:-source}
action_path=${ACTION_PATH:-$(cd "$(dirname "$0")" && pwd)}
src=$(cd "$action_path/../../.." && pwd)
release_url=${MOPS_RELEASE_URL:-https://github.com/mops-dev/mops/releases/download}
releases_api=${MOPS_RELEASES_API:-https://api.github.com/repos/mops-dev/mops/releases}

# mode prints how VERSION is installed: download or source.
mode() {
	if [[ $version =~ ^v[0-9]+(\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?)?$ ]]; then
		echo download
	else
		echo source
	fi
}

# platform prints <os>_<arch> in goreleaser's words (linux_amd64).
platform() {
	local os arch
	os=${RUNNER_OS:-$(uname -s)}
	arch=${RUNNER_ARCH:-$(uname -m)}
	case ${os,,} in
	linux) os=linux ;;
	macos | darwin) os=darwin ;;
	windows | mingw* | msys* | cygwin*) os=windows ;;
	*) die "no mops release for the operating system $os; set version: source" ;;
	esac
	case ${arch,,} in
	x64 | x86_64 | amd64) arch=amd64 ;;
	arm64 | aarch64) arch=arm64 ;;
	*) die "no mops release for the architecture $arch; set version: source" ;;
	esac
	printf '%s_%s' "$os" "$arch"
}

# fetch URL FILE downloads URL to FILE.
fetch() {
	curl --fail --silent --show-error --location --retry 3 --retry-delay 2 -o "$2" "$1"
}

# latest_of MAJOR prints the tag of the newest release vMAJOR.*.* that is
# not a pre-release.
latest_of() {
	command -v jq >/dev/null 2>&1 || die "jq is needed to find the newest $1 release"
	local list auth=()
	list=$(mktemp)
	if [ -n "${GH_TOKEN:-}" ]; then
		auth=(-H "Authorization: Bearer $GH_TOKEN")
	fi
	curl --fail --silent --show-error --location --retry 3 ${auth[@]+"${auth[@]}"} \
		-o "$list" "$releases_api?per_page=100" || die "could not list the releases at $releases_api"
	jq -r --arg p "$1." '[.[] | select(.draft | not) | select(.prerelease | not) | .tag_name | select(startswith($p))]
		| sort_by(ltrimstr("v") | split(".") | map(tonumber? // 0)) | last // empty' "$list"
	rm -f "$list"
}

# sha256 FILE prints the SHA-256 of FILE.
sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

# download TAG installs the release TAG into bin_dir, refusing an archive
# whose checksum is not the one the release lists.
download() {
	local tag=$1 plat archive tmp want got exe=mops
	plat=$(platform)
	archive="mops_${tag#v}_${plat}.tar.gz"
	if [[ $plat == windows_* ]]; then
		archive="mops_${tag#v}_${plat}.zip"
		exe=mops.exe
	fi
	tmp=$(mktemp -d)
	log "downloading $release_url/$tag/$archive"
	fetch "$release_url/$tag/checksums.txt" "$tmp/checksums.txt" || die "could not download checksums.txt of release $tag"
	fetch "$release_url/$tag/$archive" "$tmp/$archive" || die "could not download $archive of release $tag"
	want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
	[ -n "$want" ] || die "checksums.txt of release $tag lists no $archive; refusing to install it"
	got=$(sha256 "$tmp/$archive")
	if [ "$got" != "$want" ]; then
		die "checksum mismatch for $archive of release $tag: checksums.txt says $want, the download is $got; refusing to install it"
	fi
	log "checksum verified: $archive sha256 $got"
	mkdir -p "$tmp/x"
	if [[ $archive == *.zip ]]; then
		unzip -q "$tmp/$archive" "$exe" -d "$tmp/x"
	else
		tar -xzf "$tmp/$archive" -C "$tmp/x" "$exe"
	fi
	install -m 0755 "$tmp/x/$exe" "$bin_dir/$exe"
	rm -rf "$tmp"
}

build() {
	if [ "$version" = source ] || [ "$version" = "${ACTION_REF:-}" ]; then
		if [ ! -f "$src/go.mod" ] || [ ! -d "$src/cmd/mops" ]; then
			die "$src has no mops source (go.mod, cmd/mops); set the version input to a release"
		fi
		log "building mops from $src"
		(cd "$src" && go build -trimpath -o "$bin_dir/mops" ./cmd/mops)
	else
		log "go install github.com/mops-dev/mops/cmd/mops@$version"
		GOBIN=$bin_dir go install "github.com/mops-dev/mops/cmd/mops@$version"
	fi
}

if [ "${1:-}" = resolve ]; then
	m=$(mode)
	output mode "$m"
	output go-sum "$src/go.sum"
	exit 0
fi

bin_dir=${MOPS_BIN_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mops-bin}
mkdir -p "$bin_dir"
start=$SECONDS
if [ "$(mode)" = download ]; then
	tag=$version
	if [[ $tag =~ ^v[0-9]+$ ]]; then
		tag=$(latest_of "$version")
		[ -n "$tag" ] || die "no release $version.*.* at $releases_api"
		log "$version is release $tag"
	fi
	download "$tag"
else
	build
fi
bin=$bin_dir/mops
if [ -x "$bin_dir/mops.exe" ]; then
	bin=$bin_dir/mops.exe
fi
line=$("$bin" version)
log "installed $line in $((SECONDS - start)) s"
if [ -n "${GITHUB_PATH:-}" ]; then
	echo "$bin_dir" >>"$GITHUB_PATH"
fi
output bin "$bin"
# "mops 1.4.0 (commit …, built …)" -> 1.4.0
v=${line#mops }
output version "${v%% *}"
