#!/usr/bin/env bash
# run.sh — the shell half of the mops composite action (action.yml beside it).
#
# It runs one mops command for a governance repository and leaves files for
# the workflow: annotations on stdout, a SARIF file, the sticky pull-request
# comment, the plan. Everything that decides what a comment or an issue
# says happens here, so it can be run and tested on a laptop with no GitHub:
#
#   MOPS_COMMAND=review MOPS_DIR=examples/acme MOPS_BASE=HEAD~1 \
#     .github/actions/mops/run.sh && cat "$MOPS_OUT_DIR/comment.md"
#
# Usage: run.sh [COMMAND]   (default: $MOPS_COMMAND, else validate)
#
# Commands:
#   validate   annotations on stdout (--format github unless MOPS_FORMAT),
#              a SARIF file, a markdown summary for the job summary.
#   review     the sticky pull-request comment: a hidden marker, the validate
#              summary, `mops diff` from MOPS_BASE and `mops plan`, cut to
#              GitHub's 65,536-character limit. The same inputs always give
#              the same body, so posting it again updates the comment.
#   diff       mops diff --base MOPS_BASE (markdown unless MOPS_FORMAT).
#   plan       mops plan (markdown unless MOPS_FORMAT).
#   apply      mops plan --out FILE, then mops apply FILE --approved-by ...
#              with MOPS_APPROVED_BY, or the approvers of the merged pull
#              request (see approvers) when MOPS_APPROVED_BY is empty.
#   drift      mops drift --format markdown; exit 2 and drift=true on drift.
#   approvers  print the @logins whose latest review of the pull request
#              merged as MOPS_COMMIT (default GITHUB_SHA) is an approval.
#
# Environment (the action's inputs; all optional):
#   MOPS_BIN            the mops binary (default: mops on PATH)
#   MOPS_DIR            the governance repository (default: .)
#   MOPS_BASE           git revision the diff compares from (review, diff);
#                       default origin/$GITHUB_BASE_REF on a pull request
#   MOPS_HEAD           git revision the diff compares to (default: working tree)
#   MOPS_FORMAT         output format of validate, diff, plan
#   MOPS_SYSTEM         live system from mops.yaml (default: every bound, reachable one)
#   MOPS_PLAN           review: include the plan, true or false (default true)
#   MOPS_PLAN_SKIPPED   review: why the plan is left out when MOPS_PLAN=false
#   MOPS_APPROVED_BY    apply: RACI member ids, separated by spaces, commas
#                       or newlines
#   MOPS_ACTOR          apply: who runs it (mops's default: $GITHUB_ACTOR)
#   MOPS_STICKY_KEY     review: tells apart the comments of several
#                       governance folders in one repository
#   MOPS_PATH_PREFIX    folder of MOPS_DIR inside the git repository, put in
#                       front of annotation and SARIF paths (default: found
#                       with git)
#   MOPS_COMMENT_LIMIT  comment size limit in characters (default 65536)
#   MOPS_OUT_DIR        where files are written (default: a new temporary folder)
#   MOPS_REVIEWS_FILE   approvers: read the reviews from this JSON file
#                       instead of the GitHub API (tests)
#   MOPS_DEFER_EXIT     true: always exit 0 and leave the exit code in the
#                       exit-code output (the action fails in a later step,
#                       after the comment is posted)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY   set by GitHub Actions; used when set
#
# Outputs (GITHUB_OUTPUT, and printed to stderr when unset):
#   exit-code, output-file, comment-file, sarif-file, plan-file, drift,
#   applied, approved-by, changelog-file, pull-request
#
# Exit code: the mops command's (review: validate's, or 1 when the plan failed;
# drift: 2 on drift).
set -euo pipefail

log() { printf 'mops action: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 2
}

# Count characters, not bytes, when the machine has a UTF-8 locale; in the C
# locale ${#var} counts bytes, which is never fewer, so limits still hold.
if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
	export LC_ALL=C.UTF-8
fi

command=${1:-${MOPS_COMMAND:-validate}}
bin=${MOPS_BIN:-mops}
dir=${MOPS_DIR:-.}
format=${MOPS_FORMAT:-}
system=${MOPS_SYSTEM:-}
limit=${MOPS_COMMENT_LIMIT:-65536}
base=${MOPS_BASE:-}
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
	base=origin/$GITHUB_BASE_REF
fi

[ -d "$dir" ] || die "MOPS_DIR $dir is not a folder"
if ! command -v "$bin" >/dev/null 2>&1; then
	die "mops binary '$bin' not found; install it first (the action's install step) or set MOPS_BIN"
fi
case $limit in
'' | *[!0-9]*) die "MOPS_COMMENT_LIMIT must be a number of characters, not '$limit'" ;;
esac

out=${MOPS_OUT_DIR:-}
if [ -z "$out" ]; then
	out=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mops.XXXXXX")
fi
mkdir -p "$out"

# output NAME VALUE records an output of the step.
output() {
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
	else
		log "output $1=$2"
	fi
}

# summary FILE appends FILE to the job summary, when there is one.
summary() {
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
		cat "$1" >>"$GITHUB_STEP_SUMMARY"
		printf '\n' >>"$GITHUB_STEP_SUMMARY"
	fi
}

# finish CODE ends the script with CODE, or records it and ends with 0 when
# the action fails later itself (MOPS_DEFER_EXIT=true).
finish() {
	output exit-code "$1"
	if [ "${MOPS_DEFER_EXIT:-false}" = true ]; then
		exit 0
	fi
	exit "$1"
}

# run_mops OUT ERR ARGS... runs the mops binary with stdout to OUT and
# stderr to ERR, and leaves its exit code in rc (never tripping set -e).
rc=0
run_mops() {
	local o=$1 e=$2
	shift 2
	rc=0
	"$bin" "$@" >"$o" 2>"$e" || rc=$?
}

# has SUBCOMMAND [FLAG] reports whether this mops build has the subcommand
# (and the flag): commands and flags are still being added, and the script
# must say what it could not do rather than fail.
has() {
	local help
	help=$("$bin" "$1" --help 2>/dev/null) || return 1
	[ $# -lt 2 ] || grep -q -e "$2" <<<"$help"
}

# first_line FILE prints the first non-empty line of FILE, without the
# "mops: " prefix, for one-line reasons.
first_line() {
	local line
	line=$(grep -m1 -v '^[[:space:]]*$' "$1" || true)
	line=${line#mops: }
	printf '%s' "${line:-no message}"
}

# fenced FILE MAX prints at most MAX characters of FILE in a code block (a
# four-backtick fence, so that a ``` in the text cannot end it).
fenced() {
	local text
	text=$(<"$1")
	if [ "${#text}" -gt "$2" ]; then
		text="${text:0:$2}"$'\n…'
	fi
	# shellcheck disable=SC2016 # the backticks are markdown, not a command
	printf '````text\n%s\n````\n' "$text"
}

# cut_text LIMIT reads markdown on stdin and prints it cut to at most LIMIT
# characters: at a line end, with open <details> and code blocks closed and
# a note saying where the rest is.
cut_text() {
	local max=$1 text note fences opened closed
	text=$(cat)
	if [ "${#text}" -le "$max" ]; then
		printf '%s\n' "$text"
		return
	fi
	note=$'\n\n> ✂️ Cut to fit GitHub\'s size limit: the full output is in the job log and the job summary.'
	# Room for the note and for closing what the cut leaves open.
	local keep=$((max - ${#note} - 64))
	if [ "$keep" -lt 0 ]; then
		keep=0
	fi
	text=${text:0:$keep}
	if [[ $text == *$'\n'* ]]; then
		text=${text%$'\n'*}
	fi
	fences=$(grep -c '^[[:space:]]*```' <<<"$text" || true)
	if [ $((fences % 2)) -eq 1 ]; then
		text+=$'\n```'
	fi
	opened=$(grep -o '<details' <<<"$text" | wc -l || true)
	closed=$(grep -o '</details>' <<<"$text" | wc -l || true)
	while [ "$opened" -gt "$closed" ]; do
		text+=$'\n</details>'
		closed=$((closed + 1))
	done
	printf '%s%s\n' "$text" "$note"
}

# path_prefix prints the folder of dir inside its git repository ("" at the
# root, or outside git), so annotations and SARIF point at real paths.
path_prefix() {
	if [ -n "${MOPS_PATH_PREFIX+set}" ]; then
		printf '%s' "$MOPS_PATH_PREFIX"
		return
	fi
	local p
	p=$(git -C "$dir" rev-parse --show-prefix 2>/dev/null || true)
	printf '%s' "${p%/}"
}

# set_prefix_args sets prefix_args to --path-prefix P when P is not empty
# and this mops build has the flag.
prefix_args=()
set_prefix_args() {
	local p
	p=$(path_prefix)
	prefix_args=()
	if [ -n "$p" ]; then
		if has validate --path-prefix; then
			prefix_args=(--path-prefix "$p")
		else
			log "this mops has no --path-prefix; annotation and SARIF paths are relative to $dir"
		fi
	fi
}

system_args() {
	if [ -n "$system" ]; then
		printf '%s\n' --system "$system"
	fi
}

cmd_validate() {
	set_prefix_args
	local f=${format:-github}
	run_mops "$out/validate.out" "$out/validate.err" validate --dir "$dir" --format "$f" ${prefix_args[@]+"${prefix_args[@]}"}
	local code=$rc
	cat "$out/validate.out"
	cat "$out/validate.err" >&2
	output output-file "$out/validate.out"
	: >"$out/sarif.err"
	if [ "$code" -le 1 ]; then
		if [ "$f" != sarif ]; then
			run_mops "$out/mops.sarif" "$out/sarif.err" validate --dir "$dir" --format sarif ${prefix_args[@]+"${prefix_args[@]}"}
		else
			cp "$out/validate.out" "$out/mops.sarif"
			rc=$code
		fi
		if [ "$rc" -le 1 ] && [ -s "$out/mops.sarif" ]; then
			output sarif-file "$out/mops.sarif"
		else
			log "no SARIF file: $(first_line "$out/sarif.err")"
		fi
		if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
			run_mops "$out/validate.md" "$out/validate-md.err" validate --dir "$dir" --format markdown ${prefix_args[@]+"${prefix_args[@]}"}
			if [ "$rc" -le 1 ]; then
				summary "$out/validate.md"
			fi
		fi
	fi
	finish "$code"
}

# review_validate prints the validate section and sets validate_rc.
validate_rc=0
review_validate() {
	set_prefix_args
	run_mops "$out/validate.md" "$out/validate.err" validate --dir "$dir" --format markdown ${prefix_args[@]+"${prefix_args[@]}"}
	validate_rc=$rc
	cat "$out/validate.err" >&2
	if [ "$validate_rc" -le 1 ]; then
		cat "$out/validate.md"
	else
		printf '### ❌ mops validate could not run\n\n'
		fenced "$out/validate.err" 4000
	fi
}

# review_diff prints the diff section. A missing base or a mops without
# diff degrades to a one-line reason; the review goes on.
review_diff() {
	local head_args=()
	if [ -n "${MOPS_HEAD:-}" ]; then
		head_args=(--head "$MOPS_HEAD")
	fi
	if [ -z "$base" ]; then
		printf '### mops diff\n\n> diff unavailable: no base revision to compare with (set the base input, for example to github.event.pull_request.base.sha)\n'
		return
	fi
	if ! has diff; then
		printf '### mops diff\n\n> diff unavailable: this mops build (%s) has no diff command\n' "$("$bin" version 2>/dev/null || echo unknown version)"
		log "diff unavailable: this mops build has no diff command"
		return
	fi
	run_mops "$out/diff.md" "$out/diff.err" diff --dir "$dir" --base "$base" ${head_args[@]+"${head_args[@]}"} --format markdown
	cat "$out/diff.err" >&2
	if [ "$rc" -ne 0 ]; then
		printf '### mops diff\n\n> diff unavailable: %s\n' "$(first_line "$out/diff.err")"
		return
	fi
	cat "$out/diff.md"
}

# review_plan prints the plan section and sets plan_rc.
plan_rc=0
review_plan() {
	if [ "${MOPS_PLAN:-true}" != true ]; then
		printf '### mops plan\n\n_Plan skipped: %s._\n' "${MOPS_PLAN_SKIPPED:-not requested}"
		return
	fi
	if [ "$validate_rc" -ne 0 ]; then
		printf '### mops plan\n\n_Plan skipped: the repository does not validate; fix the deny findings above first._\n'
		return
	fi
	local args
	mapfile -t args < <(system_args)
	run_mops "$out/plan.md" "$out/plan.err" plan --dir "$dir" --format markdown ${args[@]+"${args[@]}"}
	plan_rc=$rc
	cat "$out/plan.err" >&2
	if [ "$plan_rc" -ne 0 ] && ! grep -q '^### ' "$out/plan.md"; then
		printf '### ❌ mops plan failed\n\n'
		fenced "$out/plan.err" 4000
		return
	fi
	# A preview plan is never applied (apply plans again after the merge),
	# and its hash changes with the time it was made: leave the hash out so
	# that the same pull request gives the same comment.
	# shellcheck disable=SC2016 # the backticks are markdown, not a command
	sed -E 's/ · plan `[0-9a-f]+`//' "$out/plan.md"
}

cmd_review() {
	local marker='<!-- mops:sticky -->' title='## mops review'
	if [ -n "${MOPS_STICKY_KEY:-}" ]; then
		marker="<!-- mops:sticky:$MOPS_STICKY_KEY -->"
	fi
	local where
	where=$(path_prefix)
	if [ -n "$where" ]; then
		title+=" of \`${where%/}\`"
	fi
	# Each section goes to a file (a function redirected, not a subshell,
	# so validate_rc and plan_rc survive).
	review_validate >"$out/section-validate.md"
	review_diff >"$out/section-diff.md"
	review_plan >"$out/section-plan.md"

	local head footer version
	head="$marker"$'\n'"$title"
	version=$("$bin" version 2>/dev/null || true)
	footer="<sub>${version:-mops}"
	if [ -n "${GITHUB_SHA:-}" ]; then
		footer+=" · commit ${GITHUB_SHA:0:12}"
	fi
	footer+=' · this comment is updated on every push</sub>'

	# Share the size limit between the sections: each gets what it needs,
	# up to an equal share of what the smaller ones leave.
	local -a names=(validate diff plan) texts=() alloc=(0 0 0) order=()
	local i
	for i in 0 1 2; do
		texts[i]=$(<"$out/section-${names[i]}.md")
	done
	mapfile -t order < <(for i in 0 1 2; do printf '%d %d\n' "${#texts[i]}" "$i"; done | sort -n | cut -d' ' -f2)
	local left=$((limit - ${#head} - ${#footer} - 200)) n=3 share
	for i in "${order[@]}"; do
		share=$((left / n))
		if [ "${#texts[i]}" -lt "$share" ]; then
			share=${#texts[i]}
		fi
		alloc[i]=$share
		left=$((left - share))
		n=$((n - 1))
	done

	local file=$out/comment.md
	{
		printf '%s\n\n' "$head"
		for i in 0 1 2; do
			printf '<!-- mops:%s -->\n' "${names[i]}"
			cut_text "${alloc[i]}" <<<"${texts[i]}"
			printf '\n'
		done
		printf -- '---\n%s\n' "$footer"
	} >"$file"
	output comment-file "$file"
	# The job summary takes a mebibyte: it gets the sections uncut.
	{
		printf '%s\n\n' "$title"
		for i in 0 1 2; do
			printf '%s\n\n' "${texts[i]}"
		done
	} >"$out/summary.md"
	summary "$out/summary.md"

	local code=$validate_rc
	if [ "$code" -eq 0 ] && [ "$plan_rc" -ne 0 ]; then
		code=1
	fi
	finish "$code"
}

cmd_diff() {
	[ -n "$base" ] || die "diff needs a base revision (MOPS_BASE)"
	has diff || die "this mops build has no diff command"
	local head_args=()
	if [ -n "${MOPS_HEAD:-}" ]; then
		head_args=(--head "$MOPS_HEAD")
	fi
	local f=${format:-markdown}
	run_mops "$out/diff.out" "$out/diff.err" diff --dir "$dir" --base "$base" ${head_args[@]+"${head_args[@]}"} --format "$f"
	cat "$out/diff.out"
	cat "$out/diff.err" >&2
	output output-file "$out/diff.out"
	if [ "$f" = markdown ] && [ "$rc" -eq 0 ]; then
		summary "$out/diff.out"
	fi
	finish "$rc"
}

cmd_plan() {
	local f=${format:-markdown} args
	mapfile -t args < <(system_args)
	run_mops "$out/plan.out" "$out/plan.err" plan --dir "$dir" --format "$f" ${args[@]+"${args[@]}"}
	cat "$out/plan.out"
	cat "$out/plan.err" >&2
	output output-file "$out/plan.out"
	if [ "$f" = markdown ]; then
		summary "$out/plan.out"
	fi
	finish "$rc"
}

# The jq program that turns a pull request's reviews into approvers: the
# latest decisive review (approved, changes requested, dismissed) of each
# reviewer counts, and an approval gives @login.
approvers_jq='[ .[] | select(.user != null and (.state == "APPROVED" or .state == "CHANGES_REQUESTED" or .state == "DISMISSED")) ]
| sort_by(.submitted_at // "")
| group_by(.user.login)
| map(last | select(.state == "APPROVED") | "@" + .user.login)
| .[]'

# approvers prints one @login per line.
approvers() {
	command -v jq >/dev/null 2>&1 || die "jq is needed to read the pull request's reviews"
	if [ -n "${MOPS_REVIEWS_FILE:-}" ]; then
		jq -r "$approvers_jq" "$MOPS_REVIEWS_FILE"
		return
	fi
	command -v gh >/dev/null 2>&1 || die "gh is needed to read the pull request's reviews"
	local repo=${GITHUB_REPOSITORY:-} sha=${MOPS_COMMIT:-${GITHUB_SHA:-}} pr
	if [ -z "$repo" ] || [ -z "$sha" ]; then
		die "approvers needs GITHUB_REPOSITORY and GITHUB_SHA (or MOPS_COMMIT)"
	fi
	# The merged pull request whose merge commit is this one; else the first
	# merged pull request that holds the commit (rebase merges).
	pr=$(gh api "repos/$repo/commits/$sha/pulls" \
		--jq "[.[] | select(.merged_at != null)] | (map(select(.merge_commit_sha == \"$sha\")) + .) | .[0].number // empty")
	if [ -z "$pr" ]; then
		log "no merged pull request holds commit $sha: no approvers"
		return
	fi
	log "approvers from the reviews of pull request #$pr"
	output pull-request "$pr"
	gh api --paginate "repos/$repo/pulls/$pr/reviews" | jq -s 'add // []' | jq -r "$approvers_jq"
}

cmd_approvers() {
	local list
	list=$(approvers)
	printf '%s\n' "$list"
	output approved-by "$(tr '\n' ' ' <<<"$list" | sed 's/ *$//')"
	finish 0
}

# changelog_path prints where mops apply records changes, joined to dir:
# mops answers (spec.changelog of mops.yaml, or its default).
changelog_path() {
	local p
	p=$("$bin" config get changelog --dir "$dir") || die "mops config get changelog failed; is $dir/mops.yaml valid?"
	if [ "$dir" = . ]; then
		printf '%s' "$p"
	else
		printf '%s/%s' "${dir%/}" "$p"
	fi
}

cmd_apply() {
	local plan_file=${MOPS_PLAN_FILE:-$out/plan.json} args
	mapfile -t args < <(system_args)
	output plan-file "$plan_file"
	run_mops "$out/plan.md" "$out/plan.err" plan --dir "$dir" --out "$plan_file" --format markdown --detailed-exitcode ${args[@]+"${args[@]}"}
	cat "$out/plan.md"
	cat "$out/plan.err" >&2
	case $rc in
	0)
		log "the live system already matches the repository: nothing to apply"
		output applied false
		output output-file "$out/plan.md"
		summary "$out/plan.md"
		finish 0
		;;
	2) ;;
	*)
		output applied false
		finish "$rc"
		;;
	esac

	local ids=${MOPS_APPROVED_BY:-}
	if [ -z "${ids//[[:space:],]/}" ]; then
		ids=$(approvers)
	fi
	local -a approved=() flags=()
	local id
	for id in ${ids//,/ }; do
		approved+=("$id")
		flags+=(--approved-by "$id")
	done
	if [ ${#approved[@]} -eq 0 ]; then
		log "no approvers: apply is refused if the approval policy asks for any"
	fi
	output approved-by "${approved[*]}"
	if [ -n "${MOPS_ACTOR:-}" ]; then
		flags+=(--actor "$MOPS_ACTOR")
	fi
	# From here on the change log may hold records: the workflow keeps it.
	output applied true
	output changelog-file "$(changelog_path)"
	run_mops "$out/apply.out" "$out/apply.err" apply "$plan_file" --dir "$dir" ${flags[@]+"${flags[@]}"}
	local code=$rc
	cat "$out/apply.out"
	cat "$out/apply.err" >&2
	cat "$out/apply.out" "$out/apply.err" >"$out/apply.log"
	{
		cat "$out/plan.md"
		printf '\n#### mops apply (exit %d)\n\n' "$code"
		fenced "$out/apply.log" 20000
	} >"$out/apply.md"
	output output-file "$out/apply.md"
	summary "$out/apply.md"
	finish "$code"
}

cmd_drift() {
	has drift || {
		log "this mops build has no drift command"
		output drift unknown
		finish 1
	}
	local args
	mapfile -t args < <(system_args)
	run_mops "$out/drift.raw" "$out/drift.err" drift --dir "$dir" --format markdown ${args[@]+"${args[@]}"}
	local code=$rc
	cat "$out/drift.err" >&2
	# An issue body has the comment's limit; leave room for the workflow's footer.
	cut_text $((limit > 2048 ? limit - 1024 : limit)) <"$out/drift.raw" >"$out/drift.md"
	cat "$out/drift.md"
	output output-file "$out/drift.md"
	case $code in
	0) output drift false ;;
	2)
		output drift true
		summary "$out/drift.md"
		;;
	*) output drift unknown ;;
	esac
	finish "$code"
}

# scorecard: the weekly MOps scorecard as Markdown, for an issue (exit 1
# when it cannot be computed).
cmd_scorecard() {
	has scorecard || {
		log "this mops build has no scorecard command"
		finish 1
	}
	# Up to yesterday: run on a Monday, the last week reported is complete.
	run_mops "$out/scorecard.raw" "$out/scorecard.err" scorecard --dir "$dir" --since 12w --until "$(date -u -d yesterday +%Y-%m-%d)" --live --format markdown
	local code=$rc
	cat "$out/scorecard.err" >&2
	cut_text $((limit > 2048 ? limit - 1024 : limit)) <"$out/scorecard.raw" >"$out/scorecard.md"
	output output-file "$out/scorecard.md"
	[ "$code" -ne 0 ] || summary "$out/scorecard.md"
	finish "$code"
}

case $command in
validate) cmd_validate ;;
review) cmd_review ;;
diff) cmd_diff ;;
plan) cmd_plan ;;
apply) cmd_apply ;;
drift) cmd_drift ;;
scorecard) cmd_scorecard ;;
approvers) cmd_approvers ;;
*) die "unknown command '$command'; use validate, review, diff, plan, apply, drift, scorecard or approvers" ;;
esac
