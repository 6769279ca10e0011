#!/usr/bin/env bash
# The service's throughput against an earlier build's, side by side: each tree's `serve` with its own defaults (only
# the port and the queue given), under the same wrk load, alternating A B A B so that the machine's drift falls on
# both. Usage: benchmarks/cpu/service-compare.sh OTHER_TREE [MODEL] [SECONDS]  (OTHER_TREE: a checkout of the other
# build, e.g. `git worktree add /tmp/old ef16f2b^` and `mvn -q package -DskipTests` in it).
set -euo pipefail
cd "$(dirname "$0")/../.."
other=$(cd "$1" && pwd)
model=${2:-demo}
seconds=${3:-15}
port=${PORT:-18183}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2> /dev/null; rm -rf "$work"' EXIT
command -v wrk > /dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
image=${IMAGE:-saliency4j-core/src/test/resources/org/saliency4j/chelsea.png}
export SALIENCY4J_JAVA_OPTS=${SALIENCY4J_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
  for tree in "$other" "$PWD"; do
    "$tree/bin/saliency4j" serve --model "$model" --port "$port" --queue 256 > "$work/serve.out" 2> "$work/serve.log" &
    server=$!
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.5; done
    GOOD_IMAGE="$image" wrk -t2 -c8 -d3s -s benchmarks/load/explain.lua "http://127.0.0.1:$port" > /dev/null
    printf "round %s %-40s " "$round" "$(cd "$tree" && git log -1 --format=%h)"
    GOOD_IMAGE="$image" BAD_EVERY=4 wrk -t2 -c32 -d"${seconds}s" --timeout 30s \
        -s benchmarks/load/explain.lua "http://127.0.0.1:$port" | tail -1
    kill -TERM "$server"
    wait "$server" || true
    server=""
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
