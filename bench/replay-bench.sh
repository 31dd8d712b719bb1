#!/usr/bin/env bash
# replay at CI scale: 100 scenarios (the bundled library copied under new names until there are
# 100) replayed with --jobs 1 and --jobs 2 (hyperfine, 10 runs each). Target: <= 2 s on 2 cores.
#   bench/replay-bench.sh            COUNT=100 RUNS=10 by default; needs hyperfine (apt-get)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT="${COUNT:-100}"
RUNS="${RUNS:-10}"
command -v hyperfine >/dev/null || { echo "replay-bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
bash "$ROOT/ci/build.sh" "$ROOT/build" >/dev/null
DIAG="$ROOT/build/bin/handover-diag"
WORK="$(mktemp -d)"
OUT="$(mktemp -d)"  # reports outside the scenario folder
trap 'rm -rf "$WORK" "$OUT"' EXIT
cp -r "$ROOT/fixtures/payloads" "$WORK/" 2>/dev/null || true
python3 - "$ROOT/fixtures" "$WORK" "$COUNT" <<'PY'
import json, pathlib, sys
src, dst, count = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
files = sorted(p for p in src.glob("*.json") if not p.name.endswith(".schema.json"))
for i in range(count):
    doc = json.loads(files[i % len(files)].read_text())
    doc["name"] = f"{doc['name']}-{i:03d}"
    (dst / f"{i:03d}-{files[i % len(files)].name}").write_text(json.dumps(doc, indent=2))
PY
"$DIAG" replay "$WORK" --jobs 2 | tail -1
hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/replay.json" \
  -n "replay $COUNT scenarios --jobs 1" "$DIAG replay $WORK --jobs 1 --format json --output $OUT/out1.json" \
  -n "replay $COUNT scenarios --jobs 2" "$DIAG replay $WORK --jobs 2 --format json --output $OUT/out2.json"
python3 - "$OUT/replay.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']}: median {r['median']:.3f} s")
PY
