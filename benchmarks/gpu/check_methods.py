"""The methods issue's device check: saliency4j's gradient x input, guided backpropagation, Grad-CAM, Grad-CAM++ and
guided Grad-CAM against PyTorch's, on torchvision's DenseNet-201 (random weights, seed 0) written by PyTorch.
The Grad-CAM references hook features.norm5 (saliency4j's default layer for this model is checked by leaving
--layer out).

    python3 check_methods.py WORK_DIR IMAGE JAVA_RUN
WORK_DIR receives densenet201.pt and the references; JAVA_RUN is the command prefix that runs saliency4j's main
class (e.g. "bash .gpu-kit/run.sh org.saliency4j.cli.Main").
"""
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
import torchvision.transforms as T
from PIL import Image


class GuidedRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.clamp(min=0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g.clamp(min=0) * (y > 0).to(g.dtype)


class GuidedReluModule(torch.nn.Module):
    def forward(self, x):
        return GuidedRelu.apply(x)


def guided_copy(model):
    import copy
    guided = copy.deepcopy(model)
    for name, module in list(guided.named_modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, torch.nn.ReLU):
                setattr(module, child_name, GuidedReluModule())
    return guided


def main(work, image, java):
    torch.manual_seed(0)
    model = torchvision.models.densenet201(weights=None).eval()
    torch.jit.script(model).save(os.path.join(work, "densenet201.pt"))
    transform = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                           T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    x0 = transform(Image.open(image).convert("RGB")).unsqueeze(0)
    target = 291
    x = x0.clone().requires_grad_(True)
    model(x)[0, target].backward()
    gxi = (x.grad * x0)[0].numpy()
    # torchvision's DenseNet ends with F.relu(features, inplace=True): guided there too.
    guided_model = guided_copy(model)
    original_relu = torch.nn.functional.relu
    torch.nn.functional.relu = lambda t, inplace=False: GuidedRelu.apply(t)
    try:
        x = x0.clone().requires_grad_(True)
        guided_model(x)[0, target].backward()
    finally:
        torch.nn.functional.relu = original_relu
    guided = x.grad[0].numpy()
    cam, cam_plus_plus = grad_cams(model, x0, target)
    references = (("gradient-x-input", gxi), ("guided-backprop", guided), ("grad-cam", cam),
                  ("grad-cam++", cam_plus_plus), ("guided-grad-cam", guided * cam))
    for method, reference in references:
        out = os.path.join(work, f"java-{method}.npy")
        cmd = java.split() + ["explain", "--model", os.path.join(work, "densenet201.pt"), "--device", "cpu",
                              "--image", image, "--target", str(target), "--method", method,
                              "--attribution-npy", out, "--out", os.path.join(work, f"{method}.png")]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        ours = np.load(out)
        rel = float(np.abs(ours - reference).max() / np.abs(reference).max())
        corr = float(np.corrcoef(ours.ravel(), reference.ravel())[0, 1])
        print(f"densenet201 {method} target {target}: max|diff|/max|ref| = {rel:.2e}, correlation {corr:.6f}")


def grad_cams(model, x0, target):
    """Grad-CAM and Grad-CAM++ at features.norm5, each (1, 224, 224). The functional ReLU after norm5 is made out of
    place for this pass, so the hooked tensor stays the BatchNorm's output."""
    captured = {}
    handle = model.features.norm5.register_forward_hook(lambda module, args, output: captured.update(a=output))
    original_relu = torch.nn.functional.relu
    torch.nn.functional.relu = lambda t, inplace=False: original_relu(t)
    try:
        score = model(x0.clone())[0, target]
    finally:
        torch.nn.functional.relu = original_relu
        handle.remove()
    a = captured["a"]
    (g,) = torch.autograd.grad(score, a)
    a = a.detach()
    weights = g.mean(dim=(2, 3), keepdim=True)
    g2 = g * g
    alpha = g2 / (2 * g2 + a.sum(dim=(2, 3), keepdim=True) * g2 * g + 1e-6)
    weights_plus_plus = (torch.relu(g) * alpha).sum(dim=(2, 3), keepdim=True)
    maps = []
    for w in (weights, weights_plus_plus):
        m = torch.relu((w * a).sum(dim=1, keepdim=True))
        maps.append(F.interpolate(m, size=x0.shape[2:], mode="bilinear", align_corners=False)[0].numpy())
    return maps


if __name__ == "__main__":
    main(*sys.argv[1:4])
