"""The built-in models issue's device check: saliency4j's Java-written DenseNet against torchvision's.

    python3 check_densenet.py OURS_DENSENET121.pt OUT_DIR

Writes OUT_DIR/densenetNNN-state-dict.txt (torchvision's state-dict names and shapes, in order: the fixtures of
DenseNetTest) and prints how far our module's outputs are from torchvision's with torchvision's weights copied in.
"""
import sys

import torch
import torchvision


def main(ours_path, out_dir):
    for name in ("densenet121", "densenet161", "densenet169", "densenet201"):
        model = getattr(torchvision.models, name)(weights=None)
        with open(f"{out_dir}/{name}-state-dict.txt", "w") as f:
            for key, value in model.state_dict().items():
                f.write(f"{key} {' '.join(str(d) for d in value.shape)}\n".replace("  ", " "))
    torch.manual_seed(0)
    reference = torchvision.models.densenet121(weights=None).eval()
    with torch.no_grad():
        # Non-trivial BatchNorm statistics, so that eval-mode normalisation is exercised.
        for m in reference.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.1, 0.1)
    ours = torch.jit.load(ours_path).eval()
    theirs = reference.state_dict()
    mine = ours.state_dict()
    print("same names:", list(mine) == list(theirs), "same shapes:",
          all(mine[k].shape == theirs[k].shape for k in theirs))
    with torch.no_grad():
        for key, value in theirs.items():
            mine[key].copy_(value)
        x = torch.randn(2, 3, 224, 224)
        a = reference(x)
        b = ours(x)
    rel = ((a - b).abs().max() / a.abs().max()).item()
    print(f"densenet121 outputs, torchvision weights copied in: max |diff| / max |out| = {rel:.2e}, "
          f"argmax equal: {bool((a.argmax(1) == b.argmax(1)).all())}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
