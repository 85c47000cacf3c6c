#!/usr/bin/env bash
# A/B: `mops validate` at growing repository sizes, the work tree's binary
# against one built from an earlier commit, in the same run, interleaved
# (old, new, old, new, ...) so that a busy machine slows both alike.
#
# Usage: bench/scale.sh [-r ROUNDS] [-e ENV] BASE_REV [CAMPAIGNS...]
#   BASE_REV   the commit to compare with (e.g. main, or HEAD~5)
#   CAMPAIGNS  repository sizes (default 10000 50000 100000)
#   -r ROUNDS  runs of each binary per size (default 3)
#   -e ENV     an environment setting for both binaries, e.g. GOMEMLIMIT=550MiB
#              (repeatable)
#
# Prints every run (wall and CPU seconds, peak RSS, exit code), then per
# size and binary the range (min-max) of wall time, CPU time (user+sys)
# and peak RSS over the runs that finished (exit 0), and how many did not.
# Repositories are generated once under bench/out/scale-N.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
envs=()
while getopts "r:e:" opt; do
  case $opt in
    r) rounds=$OPTARG ;;
    e) envs+=("$OPTARG") ;;
    *) sed -n '6,13p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '6,13p' "$0"; exit 2; }
base=$1; shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000 100000)
out=bench/out
mkdir -p "$out"

# The old binary, from BASE_REV's tree; the new one, from the work tree.
rev=$(git rev-parse --short "$base")
old="$out/mops-$rev"
if [ ! -x "$old" ]; then
  src=$(mktemp -d)
  git archive "$rev" | tar -x -C "$src"
  (cd "$src" && go build -o "$OLDPWD/$old" ./cmd/mops)
  rm -rf "$src"
fi
new="$out/mops-worktree"
go build -o "$new" ./cmd/mops

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); old = $rev, new = work tree; ${envs[*]:-default GC settings}; $rounds rounds"
runs=$(mktemp)
for n in "${sizes[@]}"; do
  repo="$out/scale-$n"
  [ -d "$repo" ] || go run ./cmd/mops-gen -out "$repo" -campaigns "$n" >/dev/null
  for ((i = 0; i < rounds; i++)); do
    for bin in old new; do
      exe=$old; [ $bin = new ] && exe=$new
      # A failing run (exit 2) is a result, not the end of the script.
      stats=$(env "${envs[@]}" /usr/bin/time -f "%e %U %S %M %x" "$exe" validate --dir "$repo" 2>&1 >/dev/null | tail -1 || true)
      read -r e u s m x <<<"$stats"
      line=$(printf "%s %s %.2f %.2f %d %s" "$n" "$bin" "$e" "$(echo "$u + $s" | bc)" $((m / 1024)) "$x")
      echo "run: $line (load $(cut -d' ' -f1 /proc/loadavg))"
      echo "$line" >>"$runs"
    done
  done
done
echo
printf "%-9s %-4s %-13s %-13s %-13s %s\n" campaigns bin "wall s" "cpu s" "peak RSS MB" "runs not finished"
for n in "${sizes[@]}"; do
  for bin in old new; do
    ok=$(awk -v n="$n" -v b="$bin" '$1 == n && $2 == b && $6 == 0' "$runs")
    failed=$(awk -v n="$n" -v b="$bin" '$1 == n && $2 == b && $6 != 0 {printf "exit %s after %ss; ", $6, $3}' "$runs")
    range() { [ -z "$ok" ] && { echo "-"; return; }; awk -v c="$1" '{print $c}' <<<"$ok" | sort -g | sed -n '1p;$p' | paste -sd- ; }
    printf "%-9s %-4s %-13s %-13s %-13s %s\n" "$n" "$bin" "$(range 3)" "$(range 4)" "$(range 5)" "${failed:-none}"
  done
done
rm -f "$runs"
