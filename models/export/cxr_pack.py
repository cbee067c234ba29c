"""Shared code of the export scripts: wrap a CNN so its ONNX graph has the outputs the workstation expects,
export it (opset 17, dynamic batch), and write a model pack (manifest.json with sha256, MODEL_CARD.md).

Outputs, for a backbone giving a final feature map F [N, C, h, w] and a linear classifier (W [L, C], b [L]):
  logits        = W · GAP(F) + b                      [N, L]
  probabilities = sigmoid(logits)                      [N, L]
  embedding     = GAP(F)                               [N, C]   (similar-case search)
  cam           = W · F + b, per position              [N, L, h, w]  (class activation maps, bias added)
The mean of `cam` over h×w equals `logits`, which verify_export() checks.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn


class PackModel(nn.Module):
    """features(x) -> F [N, C, h, w]; classifier weight [L, C] and bias [L] taken from the source model."""

    def __init__(self, features: Callable[[torch.Tensor], torch.Tensor], weight: torch.Tensor, bias: torch.Tensor):
        super().__init__()
        self.features = features if isinstance(features, nn.Module) else _Lambda(features)
        self.weight = nn.Parameter(weight.detach().clone(), requires_grad=False)
        self.bias = nn.Parameter(bias.detach().clone(), requires_grad=False)

    def forward(self, image: torch.Tensor):
        fmap = self.features(image)
        embedding = fmap.mean(dim=(2, 3))
        logits = embedding @ self.weight.t() + self.bias
        cam = torch.einsum("lc,nchw->nlhw", self.weight, fmap) + self.bias[None, :, None, None]
        return torch.sigmoid(logits), logits, embedding, cam


class _Lambda(nn.Module):
    def __init__(self, fn: Callable[[torch.Tensor], torch.Tensor]):
        super().__init__()
        self.fn = fn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(x)


def densenet_features(densenet: nn.Module) -> nn.Module:
    """torchvision/torchxrayvision DenseNet: `features` then ReLU is the map the classifier pools."""

    class Features(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = densenet.features

        def forward(self, x):
            return F.relu(self.body(x), inplace=False)

    return Features()


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_pack(
    model: PackModel,
    out_dir: str,
    *,
    pack_id: str,
    version: str,
    title: str,
    labels: Sequence[str],
    channels: int,
    size: int,
    mean: Sequence[float],
    std: Sequence[float],
    intended_use: str,
    card: str,
    thresholds: dict[str, float] | None = None,
    threshold_provenance: dict | None = None,
) -> str:
    """Exports model.onnx into out_dir, checks it against PyTorch, writes manifest.json and MODEL_CARD.md."""
    os.makedirs(out_dir, exist_ok=True)
    model.eval()
    onnx_path = os.path.join(out_dir, "model.onnx")
    dummy = torch.rand(2, channels, size, size)
    with torch.no_grad():
        probs, logits, emb, cam = model(dummy)
    torch.onnx.export(
        model,
        (dummy,),
        onnx_path,
        input_names=["image"],
        output_names=["probabilities", "logits", "embedding", "cam"],
        dynamic_axes={name: {0: "batch"} for name in ["image", "probabilities", "logits", "embedding", "cam"]},
        opset_version=17,
        do_constant_folding=True,
    )
    verify_export(model, onnx_path, channels, size)
    L, C = len(labels), emb.shape[1]
    h, w = cam.shape[2], cam.shape[3]
    manifest = {
        "id": pack_id,
        "version": version,
        "title": title,
        "task": "cxr-multilabel-classification",
        "file": "model.onnx",
        "sha256": sha256_of(onnx_path),
        "intendedUse": intended_use,
        "labels": list(labels),
        "input": {
            "name": "image",
            "layout": "NCHW",
            "channels": channels,
            "height": size,
            "width": size,
            "source": "grayscale in [0,1] after modality LUT, VOI window and MONOCHROME1 inversion"
            + ("; replicated to 3 channels" if channels == 3 else ""),
            "resize": f"stretch to {size}x{size}, bilinear with antialiasing",
            "normalize": {"mean": list(mean), "std": list(std)},
        },
        "outputs": {
            "probabilities": {"shape": ["batch", L], "meaning": "sigmoid of logits, one per label"},
            "logits": {"shape": ["batch", L]},
            "embedding": {"shape": ["batch", C], "meaning": "global-average-pooled final feature map; use for similar-case search"},
            "cam": {"shape": ["batch", L, h, w], "meaning": "class activation map per label (classifier weights applied to the final feature map, bias added)"},
        },
        "card": "MODEL_CARD.md",
    }
    if thresholds:
        manifest["thresholds"] = {k: float(v) for k, v in thresholds.items() if k in labels}
        # Without provenance (dataset, method, images) the workstation shows these labels "not calibrated".
        if threshold_provenance:
            manifest["provenance"] = {"thresholds": threshold_provenance}
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    with open(os.path.join(out_dir, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(card)
    return out_dir


def verify_export(model: PackModel, onnx_path: str, channels: int, size: int) -> None:
    """ONNX (onnxruntime, when installed) must agree with PyTorch, and the CAM's mean must equal the logits."""
    x = torch.rand(3, channels, size, size)
    with torch.no_grad():
        ref = [t.numpy() for t in model(x)]
    cam_mean = ref[3].mean(axis=(2, 3))
    if abs(cam_mean - ref[1]).max() > 1e-3:
        raise SystemExit(f"{onnx_path}: CAM mean differs from logits by {abs(cam_mean - ref[1]).max():.2e}")
    try:
        import onnxruntime as ort  # type: ignore
    except ImportError:
        print("onnxruntime (Python) not installed: ONNX output not compared with PyTorch")
        return
    sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    out = sess.run(None, {"image": x.numpy()})
    worst = max(float(abs(a - b).max()) for a, b in zip(out, ref))
    print(f"ONNX vs PyTorch: max difference {worst:.2e}")
    if worst > 1e-3:
        raise SystemExit(f"{onnx_path}: ONNX and PyTorch outputs differ by {worst:.2e}")
