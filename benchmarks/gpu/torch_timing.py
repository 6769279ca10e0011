"""PyTorch doing saliency4j's job, for a side-by-side figure: batch-1 forward, backward of the top logit,
gradient copied to the host. Median over ITER runs after a warm-up.

    python3 torch_timing.py MODEL.pt IMAGE DEVICE [ITER]
"""
import statistics
import sys
import time

import torch
import torchvision.transforms as T
from PIL import Image


def main(model_path, image, device, iterations=30):
    model = torch.jit.load(model_path, map_location=device).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    transform = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                           T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    x0 = transform(Image.open(image).convert("RGB")).unsqueeze(0)
    times = []
    for i in range(int(iterations) + 5):
        start = time.perf_counter()
        x = x0.to(device).requires_grad_(True)
        logits = model(x)
        logits[0, int(logits.argmax())].backward()
        x.grad.abs().amax(1).cpu()
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        if i >= 5:
            times.append((time.perf_counter() - start) * 1000)
    print(f"pytorch {torch.__version__} torchscript {device} batch 1: median {statistics.median(times):.1f} ms "
          f"(min {min(times):.1f}, max {max(times):.1f}, n={len(times)})")


if __name__ == "__main__":
    main(*sys.argv[1:])
