#!/usr/bin/env bash
# Renders the replay HTML report of the bundled scenarios in headless Chromium and checks a
# screenshot came out (a PNG of the full width). Usage: html_screenshot.sh CHROMIUM DIAG FIXTURES OUT.png
set -euo pipefail
chromium="$1" diag="$2" fixtures="$3" png="$4"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$diag" replay "$fixtures" --format html --output "$work/report.html"
rm -f "$png"
timeout 90 "$chromium" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1200,1600 --screenshot="$png" "file://$work/report.html" >/dev/null 2>&1
[[ -s "$png" ]] || { echo "no screenshot written" >&2; exit 1; }
# PNG signature and the IHDR width (1200).
[[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || { echo "not a PNG" >&2; exit 1; }
width=$((16#$(dd if="$png" bs=1 skip=16 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')))
[[ "$width" == 1200 ]] || { echo "unexpected width $width" >&2; exit 1; }
echo "screenshot: $png"
