#!/usr/bin/env bash
# Side-by-side: mops validate against conftest running hand-written Rego
# (bench/conftest/campaign.rego) over the same generated repository.
# Usage: bench/run.sh [CAMPAIGNS]   (default 10000). Prints wall time, CPU and
# peak RSS of each, one run each, on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
out=bench/out
mkdir -p "$out"
go build -o "$out/mops" ./cmd/mops
rm -rf "$out/repo"
go run ./cmd/mops-gen -out "$out/repo" -campaigns "$n" >/dev/null
conftest=$(command -v conftest || true)
if [ -z "$conftest" ]; then
  GOBIN="$PWD/$out" go install github.com/open-policy-agent/conftest@latest
  conftest="$PWD/$out/conftest"
fi
echo "machine: $(nproc) cores; $n campaigns + the example's taxonomies, conventions, RACI, SLAs, consent"
fmt="%e s wall, %U s user, %S s sys, %M KB peak RSS"
echo "== mops validate (load + JSON Schema + every built-in policy, cross-referencing the whole repository)"
/usr/bin/time -f "mops:     $fmt" "$out/mops" validate --dir "$out/repo" | tail -1
echo "== conftest test (hand-written Rego, campaign files only, vocabularies pasted in)"
/usr/bin/time -f "conftest: $fmt" "$conftest" test --no-color --policy bench/conftest "$out/repo/campaigns" | tail -1
