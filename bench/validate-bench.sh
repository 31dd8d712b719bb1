#!/usr/bin/env bash
# validate throughput side by side: ours (validate_throughput), ajv 8 (compiled, allErrors) and
# Python jsonschema (Draft7Validator), same corpus, same contracts, one run; then ratios and a
# check that all three agree on which payloads are valid. Ours and ajv run on the same CPU, once
# per CPU the script may use; the headline ratio is the one where ajv ran fastest.
#   bench/validate-bench.sh [COUNT]        (default 10000; needs node/npm and python3)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT="${1:-10000}"
WORK="${BENCH_WORK:-/tmp/harness-validate-bench}"
mkdir -p "$WORK"
bash "$ROOT/ci/build.sh" "$ROOT/build" >/dev/null
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-jsonschema >/dev/null
fi
if [ ! -d "$WORK/node_modules/ajv" ]; then
  (cd "$WORK" && npm init -y >/dev/null && npm install --silent ajv@8 ajv-formats@2 >/dev/null)
fi
python3 "$ROOT/bench/gen_corpus.py" "$WORK/corpus.jsonl" "$COUNT"
C="$ROOT/contracts/schemas"
rate() { sed -n 's/.* \([0-9]*\) payloads\/s.*/\1/p' <<<"$1"; }
# Both sides on the same CPU, once on each CPU this script may use: in a VM one virtual CPU can
# run a third slower than the other for minutes (a busy neighbour on its host core), and two
# unpinned processes may land on different ones. The headline is the ratio on the CPU where the
# reference, ajv, ran fastest (the quiet one, chosen by the peer's figure, not ours).
CPUS=$(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')
quiet_ajv=0
for cpu in $CPUS; do
  ours=$(taskset -c "$cpu" "$ROOT/build/bin/validate_throughput" "$WORK/corpus.jsonl" --passes 5 --verdicts "$WORK/ours.verdicts")
  ajv=$(NODE_PATH="$WORK/node_modules" taskset -c "$cpu" node "$ROOT/bench/peers/ajv-validate.js" "$C" "$WORK/corpus.jsonl" "$WORK/ajv.verdicts" 5)
  ratio=$(awk -v o="$(rate "$ours")" -v a="$(rate "$ajv")" 'BEGIN { printf "%.2f", o / a }')
  echo "cpu $cpu: $ours"; echo "cpu $cpu: $ajv"; echo "cpu $cpu: ours/ajv ${ratio}x"
  if (( $(rate "$ajv") > quiet_ajv )); then quiet_ajv=$(rate "$ajv") quiet=$ratio quiet_cpu=$cpu quiet_ours=$ours; fi
done
py=$(taskset -c "${CPUS%% *}" python3 "$ROOT/bench/peers/jsonschema-validate.py" "$C" "$WORK/corpus.jsonl" "$WORK/py.verdicts" 1)
echo "$py"
awk -v l="$quiet" -v c="$quiet_cpu" -v o="$(rate "$quiet_ours")" -v p="$(rate "$py")" \
  'BEGIN { printf "ratio: ours/ajv %.2fx (cpu %s, where ajv ran fastest), ours/python-jsonschema %.1fx\n", l, c, o / p }'
if cmp -s "$WORK/ours.verdicts" "$WORK/ajv.verdicts" && cmp -s "$WORK/ours.verdicts" "$WORK/py.verdicts"; then
  echo "agreement: all three give the same verdict on every payload ($(grep -c '^1$' "$WORK/ours.verdicts") valid)"
else
  echo "agreement: DIFFERENT verdicts (ours vs ajv: $(paste "$WORK/ours.verdicts" "$WORK/ajv.verdicts" | awk '$1!=$2' | wc -l)," \
       "ours vs python: $(paste "$WORK/ours.verdicts" "$WORK/py.verdicts" | awk '$1!=$2' | wc -l))"
  exit 1
fi
