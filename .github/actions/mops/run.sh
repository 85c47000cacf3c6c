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
#              summary, `mops diff` from MOPS_BASE (from where the branch
#              left it, when git can tell) and `mops plan`, cut to GitHub's
#              65,536-character limit, naming the plan's id; the plan is
#              saved (plan-file, plan-id) for the workflow to keep. The same
#              inputs always give the same body, so posting it again
#              updates the comment.
#   diff       mops diff --base MOPS_BASE (markdown unless MOPS_FORMAT).
#   plan       mops plan (markdown unless MOPS_FORMAT).
#   apply      apply the reviewed plan of the merged pull request: the plan
#              whose id its sticky comment names, saved by the review as
#              the artifact mops-plan-<head commit>-<plan id> (or
#              MOPS_REVIEWED_PLAN), with mops apply --approved-by for
#              MOPS_APPROVED_BY or the pull request's approvers (see
#              approvers). mops applies it only if the documents and live
#              still give that plan; otherwise nothing is applied, the
#              exit code is 2 (plan-changed=true) and comment-file says
#              which steps differ and asks for a new review.
#   drift      mops drift --format markdown; exit 2 and drift=true on drift.
#   approvers  print the @logins whose latest review of the pull request
#              merged as MOPS_COMMIT (default GITHUB_SHA) is an approval
#              (of MOPS_REVIEWED_COMMIT, when set).
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
#   MOPS_REVIEWED_PLAN  apply: the reviewed plan file, instead of the
#                       artifact of the merged pull request (tests, or a
#                       workflow that downloaded it)
#   MOPS_PULL_REQUEST   apply, approvers: the merged pull request's number,
#                       instead of asking GitHub which one holds the commit
#   MOPS_REVIEWED_COMMIT  approvers: count only approvals of this commit
#                       (apply sets it to the reviewed plan's commit)
#   MOPS_DEFER_EXIT     true: always exit 0 and leave the exit code in the
#                       exit-code output (the action fails in a later step,
#                       after the comment is posted)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY   set by GitHub Actions; used when set
#
# Outputs (GITHUB_OUTPUT, and printed to stderr when unset):
#   exit-code, output-file, comment-file, sarif-file, plan-file, plan-id,
#   drift, applied, plan-changed, approved-by, changelog-file, pull-request
#
# Exit code: the mops command's (review: validate's, or 1 when the plan failed;
# drift: 2 on drift; apply: 2 when the reviewed plan is not the plan to
# apply any more).
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

# plan_field FILE NAME prints a top-level string field of a plan file
# (mops writes them one a line, indented by two spaces).
plan_field() {
	sed -n "s/^  \"$2\": \"\([^\"]*\)\",\{0,1\}\$/\1/p" "$1" | head -n 1
}

# sticky_marker prints the hidden first line of the review comment.
sticky_marker() {
	if [ -n "${MOPS_STICKY_KEY:-}" ]; then
		printf '<!-- mops:sticky:%s -->' "$MOPS_STICKY_KEY"
	else
		printf '<!-- mops:sticky -->'
	fi
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
	# A pull request's change is what its branch added since it left the
	# base branch: diff from where they meet, when git can tell.
	local from=$base fork
	if fork=$(git -C "$dir" merge-base "$base" "${MOPS_HEAD:-HEAD}" 2>/dev/null) && [ -n "$fork" ]; then
		from=$fork
	fi
	run_mops "$out/diff.md" "$out/diff.err" diff --dir "$dir" --base "$from" ${head_args[@]+"${head_args[@]}"} --format markdown
	cat "$out/diff.err" >&2
	if [ "$rc" -ne 0 ]; then
		printf '### mops diff\n\n> diff unavailable: %s\n' "$(first_line "$out/diff.err")"
		return
	fi
	cat "$out/diff.md"
}

# review_plan prints the plan section, saves the plan (plan-file,
# plan-id) and sets plan_rc and plan_id.
plan_rc=0 plan_id=''
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
	run_mops "$out/plan.md" "$out/plan.err" plan --dir "$dir" --format markdown --out "$out/plan.json" ${args[@]+"${args[@]}"}
	plan_rc=$rc
	cat "$out/plan.err" >&2
	if [ "$plan_rc" -ne 0 ] && ! grep -q '^### ' "$out/plan.md"; then
		printf '### ❌ mops plan failed\n\n'
		fenced "$out/plan.err" 4000
		return
	fi
	cat "$out/plan.md"
	# The plan is saved only when it can be applied (no errors). Its id
	# derives from what it does, so the same pull request gives the same
	# comment; approving names this plan.
	if [ "$plan_rc" -eq 0 ] && [ -s "$out/plan.json" ]; then
		plan_id=$(plan_field "$out/plan.json" id)
		output plan-file "$out/plan.json"
		output plan-id "$plan_id"
		# shellcheck disable=SC2016 # the backticks are markdown, not a command
		printf '\n> Approving this pull request approves plan `%s`. Once merged, mops applies exactly this plan, and only if the documents and live still give it; otherwise it applies nothing and asks for a new review here.\n' "$plan_id"
	fi
}

cmd_review() {
	local marker title='## mops review'
	marker=$(sticky_marker)
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

	# The plan's id goes in the head, which is never cut: the apply job
	# reads it there to fetch the plan the reviewers approved.
	local head footer version
	head=$marker
	if [ -n "$plan_id" ]; then
		head+=$'\n'"<!-- mops:plan-id:$plan_id -->"
	fi
	head+=$'\n'"$title"
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
# reviewer counts, and an approval gives @login. With $commit set, only
# reviews of that commit count: an approval approves the plan of the
# commit it was given on.
# shellcheck disable=SC2016 # $commit is jq's (--arg), not the shell's
approvers_jq='[ .[] | select(.user != null and (.state == "APPROVED" or .state == "CHANGES_REQUESTED" or .state == "DISMISSED"))
  | select($commit == "" or .commit_id == $commit) ]
| sort_by(.submitted_at // "")
| group_by(.user.login)
| map(last | select(.state == "APPROVED") | "@" + .user.login)
| .[]'

# pull_request sets pr to the number of the pull request merged as
# MOPS_COMMIT (default GITHUB_SHA), or leaves it empty when none was.
pr=${MOPS_PULL_REQUEST:-}
pull_request() {
	[ -z "$pr" ] || return 0
	command -v gh >/dev/null 2>&1 || die "gh is needed to find the merged pull request"
	local repo=${GITHUB_REPOSITORY:-} sha=${MOPS_COMMIT:-${GITHUB_SHA:-}}
	if [ -z "$repo" ] || [ -z "$sha" ]; then
		die "finding the merged pull request needs GITHUB_REPOSITORY and GITHUB_SHA (or MOPS_COMMIT)"
	fi
	# The merged pull request whose merge commit is this one; else the first
	# merged pull request that holds the commit (rebase merges).
	pr=$(gh api "repos/$repo/commits/$sha/pulls" \
		--jq "[.[] | select(.merged_at != null)] | (map(select(.merge_commit_sha == \"$sha\")) + .) | .[0].number // empty")
	if [ -n "$pr" ]; then
		output pull-request "$pr"
	fi
}

# approvers prints one @login per line.
approvers() {
	command -v jq >/dev/null 2>&1 || die "jq is needed to read the pull request's reviews"
	local commit=${MOPS_REVIEWED_COMMIT:-}
	if [ -n "${MOPS_REVIEWS_FILE:-}" ]; then
		jq -r --arg commit "$commit" "$approvers_jq" "$MOPS_REVIEWS_FILE"
		return
	fi
	pull_request
	if [ -z "$pr" ]; then
		log "no merged pull request holds this commit: no approvers"
		return
	fi
	log "approvers from the reviews of pull request #$pr"
	gh api --paginate "repos/${GITHUB_REPOSITORY:-}/pulls/$pr/reviews" | jq -s 'add // []' | jq -r --arg commit "$commit" "$approvers_jq"
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

# reviewed_plan prints the path of the plan reviewed on pull request $pr:
# the plan whose id the last review comment names, which the review job
# kept as the artifact mops-plan-<head commit>-<plan id>. It prints nothing
# when there is none.
reviewed_plan() {
	local repo=${GITHUB_REPOSITORY:-} marker id head name run
	command -v gh >/dev/null 2>&1 || die "gh is needed to fetch the reviewed plan"
	marker=$(sticky_marker)
	id=$(gh api --paginate "repos/$repo/issues/$pr/comments" \
		--jq ".[] | select(.user.type == \"Bot\" and (.body | startswith(\"$marker\"))) | .body" |
		sed -n 's/^<!-- mops:plan-id:\([0-9a-f]*\) -->$/\1/p' | tail -n 1)
	if [ -z "$id" ]; then
		log "the review comment of pull request #$pr names no plan"
		return
	fi
	head=$(gh api "repos/$repo/pulls/$pr" --jq .head.sha)
	name="mops-plan-$head-$id"
	run=$(gh api "repos/$repo/actions/artifacts?name=$name" --jq '[.artifacts[] | select(.expired | not)][0].workflow_run.id // empty')
	if [ -z "$run" ]; then
		log "no artifact $name: the review job did not keep the plan, or it expired"
		return
	fi
	gh run download "$run" --repo "$repo" --name "$name" --dir "$out/reviewed" >&2 || die "could not download the artifact $name"
	printf '%s' "$out/reviewed/plan.json"
}

cmd_apply() {
	local plan_file=${MOPS_REVIEWED_PLAN:-} id commit
	if [ -z "$plan_file" ]; then
		pull_request
		if [ -z "$pr" ]; then
			log "no pull request was merged as this commit: nothing was reviewed, so nothing is applied (mops drift shows what live lacks)"
			output applied false
			finish 0
		fi
		plan_file=$(reviewed_plan)
		if [ -z "$plan_file" ]; then
			log "pull request #$pr has no reviewed plan to apply; nothing is applied. Open a pull request to have the plan reviewed"
			output applied false
			finish 1
		fi
	fi
	[ -f "$plan_file" ] || die "the reviewed plan $plan_file is not a file"
	id=$(plan_field "$plan_file" id)
	commit=$(plan_field "$plan_file" commit)
	output plan-file "$plan_file"
	output plan-id "$id"
	if ! grep -q '^  "changes": \[$' "$plan_file"; then
		log "the reviewed plan $id changes nothing: nothing to apply"
		output applied false
		finish 0
	fi
	# mops reads the documents of the commit the plan was made at; a
	# shallow checkout of the base branch may lack it.
	if [ -n "$commit" ] && ! git -C "$dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
		git -C "$dir" fetch -q --no-tags --depth=1 origin "$commit" >&2 || log "could not fetch commit $commit, where the plan was made"
	fi

	local ids=${MOPS_APPROVED_BY:-}
	if [ -z "${ids//[[:space:],]/}" ]; then
		ids=$(MOPS_REVIEWED_COMMIT=${MOPS_REVIEWED_COMMIT:-$commit} approvers)
	fi
	local -a approved=() flags=()
	local a
	for a in ${ids//,/ }; do
		approved+=("$a")
		flags+=(--approved-by "$a")
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
		# shellcheck disable=SC2016 # the backticks are markdown, not a command
		printf '### mops apply of plan `%s` (exit %d)\n\n' "$id" "$code"
		fenced "$out/apply.log" 20000
	} >"$out/apply.md"
	output output-file "$out/apply.md"
	summary "$out/apply.md"
	if [ "$code" -eq 2 ]; then
		output plan-changed true
		plan_changed "$id" "$commit"
	fi
	finish "$code"
}

# plan_changed ID COMMIT writes the comment that says the reviewed plan ID
# was not applied, which steps differ, and what the plan is now.
plan_changed() {
	local args
	mapfile -t args < <(system_args)
	run_mops "$out/now.md" "$out/now.err" plan --dir "$dir" --format markdown ${args[@]+"${args[@]}"}
	{
		# shellcheck disable=SC2016 # the backticks are markdown, not a command
		printf '### ⛔ mops apply: nothing was applied\n\nThe reviewed plan `%s` (made at commit `%s`) is not the plan the documents on `%s` and live give now, so **nothing was applied**. What differs:\n\n' \
			"$1" "${2:0:12}" "${GITHUB_REF_NAME:-the base branch}"
		fenced "$out/apply.err" 20000
		# shellcheck disable=SC2016 # the backticks are markdown, not a command
		printf '\n**The plan needs a new review.** Open a pull request against `%s` (an empty commit is enough: `git commit --allow-empty -m "mops: review the plan again"`); its review comment shows the plan as it is now, and merging it once approved applies that plan. If live was changed by mistake and has been put back, re-run this job instead.\n\n' \
			"${GITHUB_REF_NAME:-the base branch}"
		printf '<details><summary>The plan now</summary>\n\n'
		if [ -s "$out/now.md" ]; then
			cat "$out/now.md"
		else
			fenced "$out/now.err" 4000
		fi
		printf '\n</details>\n'
	} | cut_text "$limit" >"$out/plan-changed.md"
	output comment-file "$out/plan-changed.md"
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
