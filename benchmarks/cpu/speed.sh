#!/usr/bin/env bash
# The CPU speed figures of the README (issue 14), in one run: a folder's images/s by workers x intra-op threads,
# side by side, and integrated gradients' and SmoothGrad's cost as a multiple of one vanilla gradient by execution
# batch (--chunk). Run it on a quiet machine; it prints the load average before and after, as the figures depend
# on it. About 6 minutes on 2 cores. Usage: benchmarks/cpu/speed.sh [OUTPUT-DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/benchmarks/cpu/results/$(date -u +%Y-%m-%d)}
mkdir -p "$OUT"
S4J="$ROOT/bin/saliency4j"
MODELS=$(mktemp -d)
trap 'rm -rf "$MODELS"' EXIT
"$S4J" model build mobilenet_v3_small --out "$MODELS/mobilenet_v3_small.pt" >/dev/null 2>&1
"$S4J" model build densenet201 --out "$MODELS/densenet201.pt" >/dev/null 2>&1
run() {
  local name=$1; shift
  echo "== $name: saliency4j $*" | tee -a "$OUT/summary.txt"
  echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
  "$S4J" "$@" --json 2>/dev/null | tee "$OUT/$name.jsonl" | tee -a "$OUT/summary.txt"
}
# Folder throughput: 1x1 against one worker per core, medians of 5 (demo) or 3 passes. Enough images that each pass
# is seconds long: the workers live across passes, and short passes measured start-up (64 images: 1.37x).
run folder-demo bench --images 256 --repeats 5 --parallel 1x1,2x1
run folder-densenet201 bench --model "$MODELS/densenet201.pt" --images 16 --repeats 3 --parallel 1x1,2x1
# Samples and steps against one vanilla call on one core (--threads 1), by execution batch, with one pass thread and
# with two (a method's passes on both cores).
run ig32-demo bench --threads 1 --method integrated-gradients --steps 32 --chunk 1,2,4 --pass-threads 1,2 \
  --iterations 10
run ig32-mobilenet bench --model "$MODELS/mobilenet_v3_small.pt" --threads 1 --method integrated-gradients \
  --steps 32 --chunk 1,2,4 --pass-threads 1,2 --iterations 3
run smoothgrad32-demo bench --threads 1 --method smoothgrad --samples 32 --chunk 1,2,4 --pass-threads 1,2 \
  --iterations 10
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
