#!/usr/bin/env bash
# The service's throughput on CPU by batcher workers (issue 14): `saliency4j serve` with --workers 1 and with the
# policy's default (one per core), the same wrk load as benchmarks/load/run.sh (loopback, every fourth request a bad
# one, the demo model, chelsea.png as the good request), at --max-batch 16 and 1, 32 connections. About 2 minutes.
#
#   benchmarks/cpu/service.sh [MODEL] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-demo}
seconds=${2:-10}
port=${PORT:-18182}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2> /dev/null; rm -rf "$work"' EXIT
command -v wrk > /dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
image=${IMAGE:-saliency4j-core/src/test/resources/org/saliency4j/chelsea.png}
export SALIENCY4J_JAVA_OPTS=${SALIENCY4J_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for batch in 16 1; do
  for workers in 1 0; do
    bin/saliency4j serve --model "$model" --port "$port" --max-batch "$batch" --max-wait-ms 5 --queue 256 \
        --workers "$workers" > "$work/serve.out" 2> "$work/serve.log" &
    server=$!
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.5; done
    GOOD_IMAGE="$image" wrk -t2 -c8 -d3s -s benchmarks/load/explain.lua "http://127.0.0.1:$port" > /dev/null
    printf "max-batch %-2s workers %s " "$batch" "$([ "$workers" = 0 ] && echo "default($(nproc))" || echo "$workers")"
    GOOD_IMAGE="$image" BAD_EVERY=4 wrk -t2 -c32 -d"${seconds}s" --timeout 30s \
        -s benchmarks/load/explain.lua "http://127.0.0.1:$port" | tail -1
    kill -TERM "$server"
    wait "$server" || true
    server=""
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
