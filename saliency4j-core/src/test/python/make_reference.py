"""Writes the PyTorch/torchvision reference fixtures that PyTorchReferenceTest checks saliency4j against.

Run where PyTorch and torchvision are installed (the GPU machine has both; see ../shared/gpu/README.md):

    python3 src/test/python/make_reference.py OUT_DIR IMAGES_DIR [tiny|densenet201]

With densenet201 the model is torchvision's densenet201 with random weights (seed 0), scripted; it is too large to
commit and serves the device check in benchmarks/gpu/.

IMAGES_DIR holds chelsea.png, astronaut.png and rocket.jpg (../shared/images). OUT_DIR receives:
  tiny_cnn.pt          a small classifier written by PyTorch (torch.jit.script), 1000 classes, fixed seed
  astronaut256.png     astronaut.png resized to 256x256 by PIL: torchvision's Resize(256) leaves it as it is
  NAME-input.npy       torchvision's Resize(256), CenterCrop(224), ToTensor(), Normalize(ImageNet) of NAME
  NAME-CASE-grad.npy   the gradient of CASE's score w.r.t. that input
  reference.json       top-5 (index, probability) and each case's target and score value, per image
Cases: top1-logit (the top class's logit), 291-probability, 281-log-probability.
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision.transforms as T
from PIL import Image

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
CASES = [("top1-logit", None, "logit"), ("291-probability", 291, "probability"),
         ("281-log-probability", 281, "log-probability")]


class TinyNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(3, 16, 3, stride=2, padding=1), torch.nn.BatchNorm2d(16), torch.nn.ReLU(inplace=True),
            torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.BatchNorm2d(32), torch.nn.ReLU(inplace=True),
            torch.nn.AdaptiveAvgPool2d(1))
        self.classifier = torch.nn.Linear(32, 1000)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def tiny_model():
    torch.manual_seed(0)
    model = TinyNet()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
        # Larger class weights give a peaked softmax, so the top 5 is well separated.
        model.classifier.weight.mul_(20)
    return torch.jit.script(model.eval())


def densenet201():
    import torchvision
    torch.manual_seed(0)
    return torch.jit.script(torchvision.models.densenet201(weights=None).eval())


def preprocess(path):
    transform = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), T.Normalize(MEAN, STD)])
    return transform(Image.open(path).convert("RGB"))


def reference(model, path, out_dir, name):
    x0 = preprocess(path)
    np.save(os.path.join(out_dir, f"{name}-input.npy"), x0.numpy().astype(np.float32))
    with torch.no_grad():
        probs = torch.softmax(model(x0.unsqueeze(0)), 1)[0]
    top = torch.topk(probs, 5)
    record = {"top5": [[int(i), float(p)] for p, i in zip(top.values, top.indices)], "cases": {}}
    for case, target, score in CASES:
        x = x0.unsqueeze(0).clone().requires_grad_(True)
        logits = model(x)
        t = int(torch.argmax(logits, 1)) if target is None else target
        if score == "logit":
            s = logits[0, t]
        elif score == "probability":
            s = torch.softmax(logits, 1)[0, t]
        else:
            s = torch.log_softmax(logits, 1)[0, t]
        s.backward()
        np.save(os.path.join(out_dir, f"{name}-{case}-grad.npy"), x.grad[0].numpy().astype(np.float32))
        record["cases"][case] = {"target": t, "value": float(s)}
    return record


def main(out_dir, images_dir, kind="tiny"):
    os.makedirs(out_dir, exist_ok=True)
    model = tiny_model() if kind == "tiny" else densenet201()
    model.save(os.path.join(out_dir, "tiny_cnn.pt" if kind == "tiny" else "densenet201.pt"))
    astronaut = Image.open(os.path.join(images_dir, "astronaut.png")).convert("RGB").resize((256, 256), Image.BILINEAR)
    astronaut.save(os.path.join(out_dir, "astronaut256.png"))
    images = {"chelsea": os.path.join(images_dir, "chelsea.png"),
              "astronaut256": os.path.join(out_dir, "astronaut256.png"),
              "rocket": os.path.join(images_dir, "rocket.jpg")}
    records = {name: reference(model, path, out_dir, name) for name, path in images.items()}
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump({"torch": torch.__version__, "images": records}, f, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
