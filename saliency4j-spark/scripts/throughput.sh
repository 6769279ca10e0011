#!/usr/bin/env bash
# The README's throughput figures: images/s of the Spark job in local[2] (and local[1]) against the command line on
# one core (taskset), and against the same machine's two cores without Spark: two command lines at once, each pinned
# to one core and given half of the images. That pair is what two cores can do for this model here (how much two
# passes at once slow each other down, the host's noise at that moment), so the job's ratio to it is Spark's own
# cost. Each figure is images / wall time of the whole command (JVM start, model load, writing included), and for
# the job also its own summary's (from the transform to the Parquet written; in local mode the model loads while
# Spark starts, before that).
#
# These machines are shared and their speed moves from minute to minute, so the runs come in rounds, each round
# runs every command once in turn, and the summary gives the median over rounds of each round's ratios.
# Run it on a quiet machine. Defaults: 3000 demo images, 96 DenseNet-201 images, 1 round; the README's run was
#   saliency4j-spark/scripts/throughput.sh /tmp/t2 12000 320 3
# (about 35 minutes on 2 cores).
#   saliency4j-spark/scripts/throughput.sh [WORK_DIR] [DEMO_IMAGES] [DENSENET_IMAGES] [ROUNDS]
set -euo pipefail
MODULE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
ROOT=$(dirname "$MODULE")
WORK=${1:-$(mktemp -d /tmp/saliency4j-throughput-XXXXXX)}
DEMO_IMAGES=${2:-3000}
DENSENET_IMAGES=${3:-96}
ROUNDS=${4:-1}
for count in "$DEMO_IMAGES" "$DENSENET_IMAGES" "$ROUNDS"; do
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "throughput.sh: counts must be positive integers, got '$count'" >&2; exit 2; }
done
# Absolute: the halves below are folders of links to the images.
WORK=$(mkdir -p "$WORK" && cd "$WORK" && pwd)
"$ROOT/bin/saliency4j" --help > /dev/null
"$ROOT/bin/saliency4j-spark" --help > /dev/null 2>&1
for n in "$DEMO_IMAGES" "$DENSENET_IMAGES"; do
  if [ ! -d "$WORK/images-$n" ]; then
    python3 "$MODULE/scripts/make-images.py" "$WORK/images-$n" "$n"
    rm "$WORK/images-$n"/{empty,truncated,bomb}.png "$WORK/images-$n/text.jpg"  # good images only
  fi
  # The pair's halves: links to the images, alternately, made in a folder that is renamed once complete.
  if [ ! -d "$WORK/images-$n-halves" ]; then
    rm -rf "$WORK/images-$n-halves.new"
    mkdir -p "$WORK/images-$n-halves.new/0" "$WORK/images-$n-halves.new/1"
    i=0
    for image in "$WORK/images-$n"/*.png; do
      ln -s "$image" "$WORK/images-$n-halves.new/$((i % 2))/"
      i=$((i + 1))
    done
    mv "$WORK/images-$n-halves.new" "$WORK/images-$n-halves"
  fi
done
[ -f "$WORK/densenet201.pt" ] || "$ROOT/bin/saliency4j" model build densenet201 --out "$WORK/densenet201.pt" > /dev/null
FIGURES="$WORK/figures.tsv"
: > "$FIGURES"

now() { date +%s%N; }
figure() { # ROUND MODEL RUN IMAGES START [JOB_SUMMARY]
  local seconds job_rate=""
  seconds=$(awk -v ns="$(( $(now) - $5 ))" 'BEGIN { printf "%.1f", ns / 1e9 }')
  # The job's rate from its seconds, which the summary gives to a tenth, rather than from its rounded rate.
  [ -n "${6:-}" ] && job_rate=$(sed -n 's/.* images\/s (\([0-9.]*\) s).*/\1/p' <<< "$6" | awk -v n="$4" '{ print n / $1 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$seconds" "$job_rate" >> "$FIGURES"
  awk -v round="$1" -v name="$3: $2" -v n="$4" -v s="$seconds" -v summary="${6:+(job: ${6#saliency4j-spark: })}" \
    'BEGIN { printf "round %d  %-32s %5d images %7.1f s %7.2f images/s %s\n", round, name, n, s, n / s, summary }'
}
explain() { # CORE MODEL FOLDER OUT
  rm -rf "$4"
  taskset -c "$1" "$ROOT/bin/saliency4j" explain --image "$3" --model "$2" --out "$4/" > "$4.log" 2>&1 \
    || { echo "throughput.sh: explain on $3 failed: see $4.log" >&2; return 1; }
}
run_cli() { # ROUND NAME MODEL IMAGES
  local start; start=$(now)
  explain 0 "$3" "$WORK/images-$4" "$WORK/cli-$2"
  figure "$1" "$2" "cli one core" "$4" "$start"
}
run_pair() { # ROUND NAME MODEL IMAGES
  local start; start=$(now)
  local first
  explain 0 "$3" "$WORK/images-$4-halves/0" "$WORK/pair0-$2" &
  first=$!
  explain 1 "$3" "$WORK/images-$4-halves/1" "$WORK/pair1-$2"
  wait "$first"
  figure "$1" "$2" "cli pair, a core each" "$4" "$start"
}
run_spark() { # ROUND NAME MODEL IMAGES MASTER
  local out="$WORK/spark-$2-${5//[^a-z0-9]/}" start summary
  rm -rf "$out"
  start=$(now)
  summary=$("$ROOT/bin/saliency4j-spark" --master "$5" --input "$WORK/images-$4" --model "$3" --output "$out" \
    2> "$out.err") || { echo "throughput.sh: the job failed: see $out.err" >&2; return 1; }
  figure "$1" "$2" "spark $5" "$4" "$start" "${summary%%$'\n'*}"
}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
# The job's defaults: one image per pass on the CPU, the overlay as the one large output, partitions of at most 256
# images, as many per task slot.
for round in $(seq 1 "$ROUNDS"); do
  for model in demo densenet201; do
    if [ "$model" = demo ]; then path=demo n=$DEMO_IMAGES; else path="$WORK/densenet201.pt" n=$DENSENET_IMAGES; fi
    run_cli "$round" "$model" "$path" "$n"
    run_pair "$round" "$model" "$path" "$n"
    run_spark "$round" "$model" "$path" "$n" "local[2]"
    run_spark "$round" "$model" "$path" "$n" "local[1]"
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
# Per round and model, each run's rate over the one-core command line's; the median of those over the rounds.
echo "median over rounds of the ratio to the command line on one core, and to the pair (wall; the job figure in"
echo "brackets):"
awk -F'\t' '
  { rate = $4 / $5; key = $2 SUBSEP $3; runs[key] = 1; models[$2] = 1; names[$3] = 1
    wall[$1, key] = rate; if ($6 != "") job[$1, key] = $6
    if ($3 == "cli one core") cli[$1, $2] = rate; if ($3 ~ /^cli pair/) pair[$1, $2] = rate
    rounds[$1] = 1 }
  function median(values, count,   i, j, t) {
    for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (values[j] < values[i]) { t = values[i]; values[i] = values[j]; values[j] = t }
    return count % 2 ? values[(count + 1) / 2] : (values[count / 2] + values[count / 2 + 1]) / 2
  }
  END {
    for (key in runs) {
      split(key, parts, SUBSEP); n = 0; m = 0
      for (r in rounds) {
        if ((r, key) in wall) { n++; w[n] = wall[r, key] / cli[r, parts[1]]; p[n] = wall[r, key] / pair[r, parts[1]] }
        if ((r, key) in job) { m++; j[m] = job[r, key] / cli[r, parts[1]]; q[m] = job[r, key] / pair[r, parts[1]] }
      }
      printf "  %-12s %-24s %.2fx", parts[1], parts[2], median(w, n)
      if (m > 0) printf " (%.2fx)", median(j, m)
      printf "   to the pair %.2fx", median(p, n)
      if (m > 0) printf " (%.2fx)", median(q, m)
      printf "\n"
    }
  }' "$FIGURES" | sort
