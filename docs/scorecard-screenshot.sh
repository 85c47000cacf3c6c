#!/usr/bin/env bash
# Renders the scorecard of the generated two-year history as HTML and takes
# the screenshot in docs/scorecard.png with headless Chromium. Run by hand
# (it needs chromium: apt-get install -y chromium) after changing the page:
#
#   bash docs/scorecard-screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/mops" ./cmd/mops
go run ./cmd/mops-gen -out "$work/repo" -history -campaigns 10000 -commits 2000 -end 2026-12-04 >/dev/null
"$work/mops" scorecard --dir "$work/repo" --since 26w --until 2026-12-04 --format html > "$work/scorecard.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=1180,1400 \
  --screenshot="$work/scorecard.png" "file://$work/scorecard.html" 2>/dev/null
cp "$work/scorecard.png" docs/scorecard.png
echo "wrote docs/scorecard.png"
