#!/usr/bin/env bash
# Format and static checks, run by .ci/run: clang-format (check mode, .clang-format) on every
# C++ file; no module file over 600 lines; then clang-tidy (.clang-tidy's checks, functions of at
# most 80 lines among them) on every source of the five modules with the build's compile
# commands. Any difference or finding fails, and is printed.
#   ci/lint.sh [BUILD_DIR]     (default build/, configured by ci/build.sh if missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
bash "$ROOT/ci/bootstrap.sh" lint
cd "$ROOT"
[ -f "$BUILD/compile_commands.json" ] || bash ci/build.sh "$BUILD"
mapfile -t all < <(git ls-files '*.cpp' '*.hpp')
if ! clang-format --dry-run -Werror "${all[@]}"; then
  echo "lint: clang-format would change the files above (run: clang-format -i FILE)"
  exit 1
fi
echo "lint: clang-format: ${#all[@]} files as .clang-format wants them"
mapfile -t module_files < <(git ls-files '*.cpp' '*.hpp' | grep -E '^(util|contracts|mockserver|client|recorder)/')
long_files=$(wc -l "${module_files[@]}" | awk '$2 != "total" && $1 > 600 {print $2 ": " $1 " lines (at most 600: split it where the split names something)"}')
if [ -n "$long_files" ]; then
  echo "$long_files"
  exit 1
fi
echo "lint: ${#module_files[@]} module files of at most 600 lines"
mapfile -t sources < <(git ls-files '*.cpp' | grep -E '^(util|contracts|mockserver|client|recorder)/')
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
run-clang-tidy -p "$BUILD" -quiet -j "$(nproc)" "${sources[@]}" >"$log" 2>&1 || true
findings=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^/.*: (warning|error):' | sort -u || true)
if [ -n "$findings" ]; then
  echo "$findings"
  echo "lint: clang-tidy: $(wc -l <<<"$findings") finding(s)"
  exit 1
fi
if grep -q "Error while processing" "$log"; then
  grep "Error while processing" "$log" | head -20
  echo "lint: clang-tidy could not process every file"
  exit 1
fi
echo "lint: clang-tidy: ${#sources[@]} sources, no finding"
