#!/usr/bin/env bash
# The standalone-cluster check: starts a Spark master and a worker from the Maven jars alone (no Spark installation),
# submits the job through bin/saliency4j-spark on a folder of good and hostile images with two executors of one core
# each, and checks what it gave: exit 0, one row per image, the hostile files as error rows, one model load per
# executor JVM. Takes 2-4 minutes on 2 cores. Leaves nothing running; keeps its folder when it fails.
#   saliency4j-spark/scripts/standalone-check.sh [WORK_DIR]
set -euo pipefail
MODULE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
ROOT=$(dirname "$MODULE")
WORK=${1:-$(mktemp -d /tmp/saliency4j-standalone-XXXXXX)}
mkdir -p "$WORK"
GOOD=16
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
fail() { echo "standalone-check: FAILED: $*" >&2; echo "standalone-check: logs in $WORK" >&2; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # LOG PATTERN SECONDS
  for _ in $(seq "$3"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done
  fail "'$2' did not appear in $1 within $3 s"
}

# Builds the job (bin/saliency4j-spark builds saliency4j-spark/target when it is stale).
"$ROOT/bin/saliency4j-spark" --help > /dev/null
# The worker launches executors from SPARK_HOME/jars: a folder of links to Spark's jars in the Maven repository.
export SPARK_HOME="$WORK/spark-home"
mkdir -p "$SPARK_HOME/jars"
tr ':' '\n' < "$MODULE/target/spark.classpath" | while read -r jar; do ln -sf "$jar" "$SPARK_HOME/jars/"; done
export SPARK_SCALA_VERSION=2.13
java_opts=$(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' "$MODULE/pom.xml")
classpath="$SPARK_HOME/jars/*"
log4j="-Dlog4j.configurationFile=$MODULE/conf/log4j2.properties"

master_port=$(free_port)
# shellcheck disable=SC2086
java -Xmx512m $java_opts -cp "$classpath" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port "$master_port" --webui-port "$(free_port)" > "$WORK/master.log" 2>&1 &
pids+=($!)
wait_for "$WORK/master.log" "I have been elected leader" 60
# Two executors of one core each: two executor JVMs, each with its own JavaCPP cache (the job's default).
# shellcheck disable=SC2086
java -Xmx512m $java_opts -cp "$classpath" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$master_port" \
  --host 127.0.0.1 --cores 2 --memory 3g --work-dir "$WORK/worker" --webui-port "$(free_port)" \
  > "$WORK/worker.log" 2>&1 &
pids+=($!)
wait_for "$WORK/worker.log" "Successfully registered with master" 60

python3 "$MODULE/scripts/make-images.py" "$WORK/images" "$GOOD"
start=$(date +%s)
set +e
SALIENCY4J_SPARK_CONF="--conf spark.executor.cores=1 --conf spark.executor.memory=1g --conf spark.cores.max=2" \
  timeout 900 "$ROOT/bin/saliency4j-spark" --master "spark://127.0.0.1:$master_port" --input "$WORK/images" \
  --output "$WORK/out" --png-dir "$WORK/png" > "$WORK/submit.out" 2> "$WORK/submit.err"
rc=$?
set -e
cat "$WORK/submit.out"
[ "$rc" -eq 0 ] || { tail -20 "$WORK/submit.err" >&2; fail "the job exited $rc"; }
# The empty file, the truncated PNG, the text and the bomb are error rows (Spark's binaryFile source skips the empty
# file; the job adds it back).
grep -q "^saliency4j-spark: $((GOOD + 4)) images, 4 errors" "$WORK/submit.out" || fail "unexpected summary"
grep -q ", 2 model loads" "$WORK/submit.out" || fail "expected one model load in each of the two executor JVMs"
[ "$(find "$WORK/png" -name '*-saliency.png' | wc -l)" -eq "$GOOD" ] || fail "expected $GOOD renderings"
caches=$(find "$WORK/worker" -maxdepth 3 -type d -name javacpp-cache | wc -l)
[ "$caches" -eq 2 ] || fail "expected a JavaCPP cache in each executor's folder, found $caches"
echo "standalone-check: passed; the submit took $(( $(date +%s) - start )) s (2 executor JVMs); folder $WORK"
