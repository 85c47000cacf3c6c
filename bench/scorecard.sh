#!/usr/bin/env bash
# mops scorecard on a generated two-year history: 10,000 campaigns requested
# in ~2,000 commits (cmd/mops-gen -history). Times ROUNDS cold runs (the
# cache removed before each) and ROUNDS warm runs (every commit cached), one
# after the other, and prints each run's wall time, CPU and peak RSS, then
# the range of each.
# Usage: bench/scorecard.sh [ROUNDS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
out=bench/out
mkdir -p "$out"
go build -o "$out/mops" ./cmd/mops
rm -rf "$out/history"
go run ./cmd/mops-gen -out "$out/history" -history -campaigns 10000 -commits 2000 -end 2026-12-04
echo "machine: $(nproc) cores"
fmt="%e %U %S %M"
run() { # run KIND: one scorecard run, its figures appended to $out/KIND.times
  /usr/bin/time -o "$out/$1.one" -f "$fmt" "$out/mops" scorecard --dir "$out/history" --until 2026-12-04 --format json > "$out/$1.json"
  read -r wall user sys rss < "$out/$1.one"
  echo "$1: ${wall} s wall, ${user} s user, ${sys} s sys, $((rss / 1024)) MB peak RSS"
  echo "$wall $rss" >> "$out/$1.times"
}
rm -f "$out/cold.times" "$out/warm.times"
for _ in $(seq "$rounds"); do
  rm -rf "$out/history/.mops/cache"
  run cold
  run warm
done
for kind in cold warm; do
  sort -n "$out/$kind.times" | awk -v k="$kind" 'NR==1{lo=$1} {hi=$1; if ($2>m) m=$2} END{printf "%s: %s to %s s wall, at most %d MB peak RSS\n", k, lo, hi, m/1024}'
done
grep -o '"commits": [0-9]*' "$out/warm.json" | head -1
