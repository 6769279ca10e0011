#!/usr/bin/env bash
# The README's throughput figures, run once, quietly: images/s of the command line on one core (taskset) against the
# Spark job in local[1] and local[2], for the demo model and for DenseNet-201 with random weights, on good images
# from make-images.py. Each figure is images / wall time of the whole command (JVM start, model load, writing
# included), and for the job also its own summary's figure (from the transform to the Parquet written, model load
# and broadcast included). Takes about 10 minutes on 2 cores (DenseNet-201 on 96 images three times is most of it).
# Run it on a quiet machine: the figures are wall times, and other work on the cores is counted in them.
#   saliency4j-spark/scripts/throughput.sh [WORK_DIR] [DEMO_IMAGES] [DENSENET_IMAGES]
set -euo pipefail
MODULE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
ROOT=$(dirname "$MODULE")
WORK=${1:-$(mktemp -d /tmp/saliency4j-throughput-XXXXXX)}
DEMO_IMAGES=${2:-3000}
DENSENET_IMAGES=${3:-96}
mkdir -p "$WORK"
"$ROOT/bin/saliency4j" --help > /dev/null
"$ROOT/bin/saliency4j-spark" --help > /dev/null 2>&1
for n in "$DEMO_IMAGES" "$DENSENET_IMAGES"; do
  if [ ! -d "$WORK/images-$n" ]; then
    python3 "$MODULE/scripts/make-images.py" "$WORK/images-$n" "$n"
    rm "$WORK/images-$n"/{empty,truncated,bomb}.png "$WORK/images-$n/text.jpg"  # good images only
  fi
done
[ -f "$WORK/densenet201.pt" ] || "$ROOT/bin/saliency4j" model build densenet201 --out "$WORK/densenet201.pt" > /dev/null

seconds() { local start=$1; echo "$(( $(date +%s%N) - start ))" | awk '{printf "%.1f", $1 / 1e9}'; }
figure() { # NAME IMAGES SECONDS [SUMMARY]
  awk -v name="$1" -v n="$2" -v s="$3" -v summary="${4:-}" \
    'BEGIN { printf "%-40s %5d images %7.1f s %7.2f images/s %s\n", name, n, s, n / s, summary }'
}
run_cli() { # NAME MODEL IMAGES
  local start; start=$(date +%s%N)
  taskset -c 0 "$ROOT/bin/saliency4j" explain --image "$WORK/images-$3" --model "$2" --out "$WORK/cli-$1/" > /dev/null 2>&1
  figure "cli, one core: $1" "$3" "$(seconds "$start")"
}
run_spark() { # NAME MODEL IMAGES MASTER [JOB OPTIONS]
  local name=$1 model=$2 images=$3 master=$4 start summary out
  shift 4
  out="$WORK/spark-$name-${master//[^a-z0-9]/}${2:+-batch$2}"
  rm -rf "$out"
  start=$(date +%s%N)
  summary=$("$ROOT/bin/saliency4j-spark" --master "$master" --input "$WORK/images-$images" --model "$model" \
    --output "$out" "$@" 2> "$out.err")
  summary=${summary%%$'\n'*}
  figure "spark $master $*: $name" "$images" "$(seconds "$start")" "(job: ${summary#saliency4j-spark: })"
}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
# The job's defaults: one image per pass on the CPU (batched passes were the slower here without oneDNN), the overlay
# as the one large output, partitions of at most 256 images and at least two per task slot.
run_cli demo demo "$DEMO_IMAGES"
run_spark demo demo "$DEMO_IMAGES" "local[1]"
run_spark demo demo "$DEMO_IMAGES" "local[2]"
run_cli densenet201 "$WORK/densenet201.pt" "$DENSENET_IMAGES"
run_spark densenet201 "$WORK/densenet201.pt" "$DENSENET_IMAGES" "local[1]"
run_spark densenet201 "$WORK/densenet201.pt" "$DENSENET_IMAGES" "local[2]"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
