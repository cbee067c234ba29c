"""Export a CheXNet-style checkpoint (torchvision DenseNet-121, 14 ChestX-ray14 sigmoid outputs) as a model pack.

    pip install torch torchvision onnx onnxruntime
    python3 models/export/export_chexnet.py --checkpoint model.pth.tar --out models/export/out/chexnet

Accepts the common reproductions' checkpoints: a state_dict or {'state_dict': ...}, keys optionally prefixed with
`module.` and `densenet121.`, old torchvision names (`norm.1`, `conv.2`) and a classifier that is either
Linear(1024, 14) or Sequential(Linear, Sigmoid). Input: 3 channels, ImageNet mean/std, 224x224 stretched (the
ten-crop test-time augmentation of the paper is not part of the pack).
"""

from __future__ import annotations

import argparse
import datetime
import re

import torch
import torchvision

from cxr_pack import PackModel, densenet_features, export_pack

CHEXNET_LABELS = [
    "Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
    "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia",
]


def load_state(path: str) -> dict[str, torch.Tensor]:
    raw = torch.load(path, map_location="cpu", weights_only=False)
    state = raw.get("state_dict", raw) if isinstance(raw, dict) else raw.state_dict()
    fixed: dict[str, torch.Tensor] = {}
    for key, value in state.items():
        k = re.sub(r"^(module\.)?(densenet121\.)?", "", key)
        k = re.sub(r"\.(norm|relu|conv)\.(\d)", r".\1\2", k)  # torchvision < 0.3 names
        k = k.replace("classifier.0.", "classifier.")
        fixed[k] = value
    return fixed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--id", default="chexnet-densenet121")
    ap.add_argument("--version", default=datetime.date.today().strftime("%Y.%m.%d"))
    args = ap.parse_args()

    net = torchvision.models.densenet121(weights=None)
    net.classifier = torch.nn.Linear(1024, len(CHEXNET_LABELS))
    missing, unexpected = net.load_state_dict(load_state(args.checkpoint), strict=False)
    if missing or unexpected:
        raise SystemExit(f"{args.checkpoint}: checkpoint does not fit DenseNet-121/14: missing {missing[:5]}, unexpected {unexpected[:5]}")
    net.eval()
    pack = PackModel(densenet_features(net), net.classifier.weight, net.classifier.bias)
    with torch.no_grad():
        x = torch.rand(2, 3, 224, 224)
        if (pack(x)[0] - torch.sigmoid(net(x))).abs().max() > 1e-4:
            raise SystemExit("wrapped model does not reproduce the checkpoint's outputs")

    export_pack(
        pack,
        args.out,
        pack_id=args.id,
        version=args.version,
        title="CheXNet-style DenseNet-121 (ChestX-ray14)",
        labels=CHEXNET_LABELS,
        channels=3,
        size=224,
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225],
        intended_use="Research use. Validate on local data and calibrate thresholds (cxr calibrate) before any clinical use.",
        card=(
            "# CheXNet-style DenseNet-121\n\n"
            f"Exported from `{args.checkpoint}` with models/export/export_chexnet.py (Rajpurkar et al., 2017 architecture).\n"
            "No thresholds are shipped: derive them with `cxr calibrate`.\n"
        ),
    )
    print(f"pack written to {args.out}; install with: cxr models install {args.out}")


if __name__ == "__main__":
    main()
