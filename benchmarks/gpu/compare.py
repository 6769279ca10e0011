"""Compares saliency4j's outputs (written by benchmarks/gpu/check-core.sh) with the PyTorch references.

    python3 compare.py REF_DIR JAVA_DIR LABEL [DEVICES]
REF_DIR is make_reference.py's output; JAVA_DIR holds DEVICE-CASE/NAME-{grad,input}.npy and DEVICE-CASE.jsonl.
"""
import json
import os
import sys

import numpy as np


def main(ref_dir, java_dir, label):
    ref = json.load(open(os.path.join(ref_dir, "reference.json")))["images"]
    worst = {}
    for device in sys.argv[4].split(",") if len(sys.argv) > 4 else ("cpu", "cuda"):
        for case in ("top1-logit", "291-probability", "281-log-probability"):
            run = f"{device}-{case}"
            path = os.path.join(java_dir, run + ".jsonl")
            if not os.path.exists(path):
                print(f"{label} {run}: no output")
                continue
            records = {os.path.basename(r["image"]).rsplit(".", 1)[0]: r
                       for r in map(json.loads, open(path)) if r.get("ok")}
            for name, expected in ref.items():
                r = records.get(name)
                if r is None:
                    print(f"{label} {run} {name}: failed")
                    continue
                x_ref = np.load(os.path.join(ref_dir, f"{name}-input.npy"))
                x = np.load(os.path.join(java_dir, run, f"{name}-input.npy"))
                g_ref = np.load(os.path.join(ref_dir, f"{name}-{case}-grad.npy"))
                g = np.load(os.path.join(java_dir, run, f"{name}-grad.npy"))
                top_ref = [i for i, _ in expected["top5"]]
                top = [p["index"] for p in r["predictions"]]
                dp = max(abs(p["probability"] - q) for p, (_, q) in zip(r["predictions"], expected["top5"]))
                rel = float(np.abs(g - g_ref).max() / np.abs(g_ref).max())
                corr = float(np.corrcoef(g.ravel(), g_ref.ravel())[0, 1])
                t = expected["cases"][case]
                line = (f"{label} {run} {name}: input {'exact' if np.array_equal(x, x_ref) else 'max|d|=%.3g mean|d|=%.3g' % (np.abs(x - x_ref).max(), np.abs(x - x_ref).mean())}"
                        f"; top5 {'same' if top == top_ref else 'DIFFERENT %s vs %s' % (top, top_ref)} max|dp|={dp:.2e}"
                        f"; target {r['target']['index']} vs {t['target']} value {r['target']['value']:.6g} vs {t['value']:.6g}"
                        f"; grad rel.err {rel:.2e} corr {corr:.6f}")
                print(line)
                worst[run] = max(worst.get(run, 0), rel)
    print(f"{label}: worst gradient relative error per run: {worst}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
