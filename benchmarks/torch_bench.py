"""PyTorch doing what `saliency4j bench` does, for a side-by-side table in the same device session: explain a batch
with vanilla gradients (forward, one backward of the sum of each image's top logit), reduce to a map (abs-max over
channels), min-max it per image, colour it and blend it over the input as 8-bit RGB on the host. Eager and
TorchScript, several batch sizes; one JSON line per measurement with saliency4j's field names.

    python3 benchmarks/torch_bench.py MODEL.pt --device cuda --batch 1,8,32,128 --iterations 30
    (MODEL.pt: a TorchScript classifier; --eager densenet201 also times torchvision's eager model, random weights)

Warm-up iterations are not counted; CUDA is synchronised before each clock read. TF32 follows --tf32 (off by
default, as saliency4j's CUDA models).
"""
import argparse
import json
import statistics
import time

import torch


def jet(values):
    """OpenCV's COLORMAP_JET on [0, 1] values, (N, H, W) -> (N, H, W, 3) uint8, on the values' device."""
    v = values.clamp(0, 1)
    r = (1.5 - (4 * v - 3).abs()).clamp(0, 1)
    g = (1.5 - (4 * v - 2).abs()).clamp(0, 1)
    b = (1.5 - (4 * v - 1).abs()).clamp(0, 1)
    return (torch.stack([r, g, b], -1) * 255).round().to(torch.uint8)


def explain(model, x, images_uint8):
    x = x.detach().requires_grad_(True)
    logits = model(x)
    logits.gather(1, logits.argmax(1, keepdim=True)).sum().backward()
    saliency = x.grad.abs().amax(1)
    low = saliency.flatten(1).amin(1).view(-1, 1, 1)
    high = saliency.flatten(1).amax(1).view(-1, 1, 1)
    normalised = (saliency - low) / (high - low).clamp_min(1e-12)
    overlay = (0.5 * images_uint8.float() + 0.5 * jet(normalised).float()).round().to(torch.uint8)
    return overlay.cpu()


def measure(name, model, device, batch, size, iterations):
    torch.manual_seed(0)
    x = torch.randn(batch, 3, size, size, device=device)
    images = torch.randint(0, 256, (batch, size, size, 3), dtype=torch.uint8, device=device)
    for _ in range(5):
        explain(model, x, images)
    times = []
    for _ in range(iterations):
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        start = time.perf_counter()
        explain(model, x, images)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(json.dumps({"framework": "pytorch " + torch.__version__, "model": name, "device": device,
                      "method": "vanilla", "batch": batch, "image_size": size, "iterations": iterations,
                      "median_ms": median, "p90_ms": statistics.quantiles(times, n=10)[-1],
                      "images_per_s": batch * 1000 / median}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", help="a TorchScript classifier")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--batch", default="1,8,32,128")
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--eager", help="also time this torchvision architecture in eager mode (random weights)")
    parser.add_argument("--tf32", action="store_true")
    args = parser.parse_args()
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    models = [("torchscript:" + args.model, torch.jit.load(args.model, map_location=args.device).eval())]
    if args.eager:
        import torchvision
        models.append(("eager:" + args.eager, getattr(torchvision.models, args.eager)(weights=None)
                       .to(args.device).eval()))
    for name, model in models:
        for p in model.parameters():
            p.requires_grad_(False)
        for batch in (int(b) for b in args.batch.split(",")):
            measure(name, model, args.device, batch, args.image_size, args.iterations)


if __name__ == "__main__":
    main()
