#!/usr/bin/env bash
# The include graph is a straight line: util <- contracts <- mockserver <- client <- recorder.
# A module's sources may include only their own module and those to its left; this script
# fails on any include that runs back up, naming the file, the line and the include.
#   ci/check-layers.sh [ROOT]            (run by the test suite: ctest -R layers)
set -euo pipefail
ROOT="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
LAYERS=(util contracts mockserver client recorder)
bad=0
for i in "${!LAYERS[@]}"; do
  module="${LAYERS[$i]}"
  allowed="${LAYERS[*]:0:$((i + 1))}"
  while IFS=: read -r file line text; do
    target=$(sed -n 's/.*#include "\([a-z_]*\)\/.*/\1/p' <<<"$text")
    [ -z "$target" ] && continue
    case " $allowed " in *" $target "*) ;; *)
      echo "$file:$line: $module may not include $target (${text#*#include }): the line is ${LAYERS[*]}"
      bad=$((bad + 1)) ;;
    esac
  done < <(cd "$ROOT" && grep -rn '#include "' "$module" --include='*.cpp' --include='*.hpp' || true)
done
if [ "$bad" -gt 0 ]; then
  echo "$bad include(s) run back up the line"
  exit 1
fi
echo "layers: every include runs down the line ${LAYERS[*]}"
