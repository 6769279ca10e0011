#!/usr/bin/env bash
# The core issue's device check, in one call (see ../shared/gpu/README.md for the kit):
#   PyTorch reference fixtures; saliency4j on CPU and CUDA against them (a small PyTorch-written CNN and
#   torchvision's DenseNet-201 with random weights); the CUDA JUnit test; batch-1 timings beside PyTorch's.
# Needs .gpu-kit/ (the kit, with test classes and the JUnit console) and .gpu-data/ (chelsea.png, astronaut.png,
# rocket.jpg). DEVICES=cpu,cuda (default) picks where saliency4j runs.
set -uo pipefail
OUT=${OUT:-/tmp/check-out}
W=/tmp/check-work
mkdir -p "$OUT" "$W"
export PYTHONUNBUFFERED=1 OPENCV_LOG_LEVEL=SILENT
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
JAVA="bash .gpu-kit/run.sh"

for kind in tiny densenet201; do
  python3 saliency4j-core/src/test/python/make_reference.py "$W/$kind" .gpu-data "$kind" || echo "reference $kind failed"
done
tar -C "$W" -czf "$OUT/reference-tiny.tgz" tiny

run_java() {  # model-file ref-dir java-dir devices
  local model=$1 ref=$2 dir=$3
  mkdir -p "$dir"
  for device in ${4//,/ }; do
    for case in top1-logit:top1:logit 291-probability:291:probability 281-log-probability:281:log-probability; do
      IFS=: read -r name target score <<< "$case"
      mkdir -p "$dir/$device-$name"
      $JAVA org.saliency4j.cli.Main explain --model "$model" --device "$device" --image .gpu-data/chelsea.png \
        --image "$ref/astronaut256.png" --image .gpu-data/rocket.jpg --target "$target" --score "$score" --json \
        --out "$dir/$device-$name/{name}.png" --raw-gradient "$dir/$device-$name/{name}-grad.npy" \
        --save-input "$dir/$device-$name/{name}-input.npy" > "$dir/$device-$name.jsonl" || echo "java $device $name failed"
    done
  done
}
DEVICES=${DEVICES:-cpu,cuda}
run_java "$W/tiny/tiny_cnn.pt" "$W/tiny" "$W/java-tiny" "$DEVICES"
run_java "$W/densenet201/densenet201.pt" "$W/densenet201" "$W/java-d201" "$DEVICES"
{
  python3 benchmarks/gpu/compare.py "$W/tiny" "$W/java-tiny" tiny "$DEVICES"
  python3 benchmarks/gpu/compare.py "$W/densenet201" "$W/java-d201" densenet201 "$DEVICES"
} 2>&1 | tee "$OUT/compare.txt"

$JAVA org.junit.platform.console.ConsoleLauncher --disable-banner --details=tree \
  --select-class org.saliency4j.internal.torch.CudaInvarianceTest 2>&1 | tail -25 | tee "$OUT/junit-cuda.txt"

# Batch-1 latency, DenseNet-201, same image, 40 explains in one JVM (the first model load and warm-up excluded).
mkdir -p "$W/many"
for i in $(seq -w 1 40); do cp .gpu-data/chelsea.png "$W/many/c$i.png"; done
{
  for device in ${DEVICES//,/ }; do
    $JAVA org.saliency4j.cli.Main explain --model "$W/densenet201/densenet201.pt" --device "$device" --image "$W/many" \
      --json --out "$W/many-out/{name}.png" > "$W/many-$device.jsonl"
    python3 - "$W/many-$device.jsonl" "$device" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][5:]
g = [r["timings_ms"]["gradient"] for r in rows]; t = [r["timings_ms"]["total"] for r in rows]
print(f"saliency4j {sys.argv[2]} batch 1 (n={len(rows)}): gradient median {statistics.median(g):.1f} ms, "
      f"whole explain+render+write median {statistics.median(t):.1f} ms")
PY
    python3 benchmarks/gpu/torch_timing.py "$W/densenet201/densenet201.pt" .gpu-data/chelsea.png "$device" 30
  done
} 2>&1 | tee "$OUT/timing.txt"
