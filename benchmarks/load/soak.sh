#!/usr/bin/env bash
# Hostile soak of `saliency4j serve` on loopback, bounded in time: good clients, slow clients, expensive requests,
# concurrent 62-megapixel images and image bombs at once (benchmarks/load/soak.py), at the default heap; then
# SIGTERM, timed. Prints soak.py's lines, the shutdown time and the exit status.
#
#   benchmarks/load/soak.sh [MODEL] [SECONDS]     (MODEL defaults to the demo; extra serve options in SERVE_OPTS,
#                                                  extra soak.py options in SOAK_OPTS)
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-demo}
seconds=${2:-60}
port=${PORT:-18182}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill -9 "$server" 2> /dev/null; rm -rf "$work"' EXIT

bin/saliency4j --version > /dev/null  # builds the jar first, outside the measured time
bin/saliency4j serve --model "$model" --port "$port" ${SERVE_OPTS:-} > "$work/serve.out" 2> "$work/serve.log" &
launcher=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.5; done
# The launcher execs java, so its pid is the server's.
server=$launcher
python3 benchmarks/load/soak.py --port "$port" --pid "$server" --seconds "$seconds" \
    --good-image src/test/resources/org/saliency4j/chelsea.png ${SOAK_OPTS:-}
echo "readyz after the soak: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")"
start=$(date +%s.%N)
kill -TERM "$server"
status=0
wait "$server" || status=$?
echo "exited with status $status $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s after SIGTERM"
server=""
grep -c ' 5[0-9][0-9] ' "$work/serve.log" | sed 's/^/log lines with a 5xx status: /' || true
grep -c ' 503 ' "$work/serve.log" | sed 's/^/of which 503 (busy): /' || true
# What the server logged besides its one line per request: stack traces of internal errors, warnings.
grep -v -E '^(GET|POST|HEAD|PUT|DELETE|OPTIONS) |NNPACK' "$work/serve.log" | head -40 || true
