#!/usr/bin/env bash
# Load test of `saliency4j serve` with wrk (Debian's wrk) on loopback, bounded in time: a mix of good and bad
# requests at several concurrencies, with and without batching, and the service's resident memory before and after.
#
#   benchmarks/load/run.sh [MODEL] [SECONDS]      (MODEL defaults to the demo; IMAGE, the good request's image,
#                                                  to a photo from the tests; extra serve options in SERVE_OPTS)
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-demo}
seconds=${2:-15}
port=${PORT:-18181}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2> /dev/null; rm -rf "$work"' EXIT
command -v wrk > /dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }

image=${IMAGE:-src/test/resources/org/saliency4j/chelsea.png}
# A fixed heap, so that resident memory measures native growth rather than the heap finding its size.
export SALIENCY4J_JAVA_OPTS=${SALIENCY4J_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch}

resident() { curl -s "http://127.0.0.1:$port/metrics" | awk '/^saliency4j_resident_memory_bytes/ {printf "%.0f", $2 / 1048576}'; }

for batch in 1 16; do
  bin/saliency4j serve --model "$model" --port "$port" --max-batch "$batch" --max-wait-ms 5 --queue 256 \
      ${SERVE_OPTS:-} > "$work/serve.out" 2> "$work/serve-$batch.log" &
  server=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.5; done
  # Warm-up, then the measured runs.
  GOOD_IMAGE="$image" wrk -t2 -c8 -d3s -s benchmarks/load/explain.lua "http://127.0.0.1:$port" > /dev/null
  before=$(resident)
  for connections in 1 8 32; do
    printf "max-batch %-2s connections %-2s " "$batch" "$connections"
    GOOD_IMAGE="$image" BAD_EVERY=4 wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --timeout 30s \
        -s benchmarks/load/explain.lua "http://127.0.0.1:$port" | tail -1 | tr -d '\n'
    echo " resident_mb=$(resident)"
  done
  echo "max-batch $batch: resident memory ${before} MB after warm-up, $(resident) MB after the runs"
  kill -TERM "$server"
  start=$(date +%s.%N)
  wait "$server" || true
  echo "max-batch $batch: exited $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s after SIGTERM"
done
