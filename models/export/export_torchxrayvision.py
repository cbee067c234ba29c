"""Export the public torchxrayvision DenseNet-121 weights as a workstation model pack.

    pip install torch torchvision torchxrayvision onnx onnxruntime
    python3 models/export/export_torchxrayvision.py --weights densenet121-res224-nih --out models/export/out/xrv-densenet121-nih

torchxrayvision downloads the weights on first use (internet needed once). Its models take ONE channel scaled to
[-1024, 1024]: x = (gray - 0.5) * 2048, i.e. mean 0.5 and std 1/2048 in the manifest. Its per-label operating
points (`op_threshs`) become the pack's default thresholds; the model's own op-threshold rescaling is switched off
so that `probabilities` is the plain sigmoid of `logits` (the CAM needs the linear head).
"""

from __future__ import annotations

import argparse
import datetime

import torch

from cxr_pack import PackModel, densenet_features, export_pack


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", default="densenet121-res224-nih", help="torchxrayvision weights name (e.g. densenet121-res224-nih, densenet121-res224-all)")
    ap.add_argument("--out", required=True, help="output pack folder")
    ap.add_argument("--id", default=None, help="pack id (default: xrv-<weights>)")
    ap.add_argument("--version", default=datetime.date.today().strftime("%Y.%m.%d"))
    args = ap.parse_args()

    import torchxrayvision as xrv  # type: ignore

    model = xrv.models.DenseNet(weights=args.weights)
    model.eval()
    keep = [i for i, name in enumerate(model.pathologies) if name]
    labels = [model.pathologies[i] for i in keep]
    weight = model.classifier.weight[keep]
    bias = model.classifier.bias[keep]
    thresholds = None
    if getattr(model, "op_threshs", None) is not None:
        thresholds = {model.pathologies[i]: float(model.op_threshs[i]) for i in keep}
        model.op_threshs = None

    pack = PackModel(densenet_features(model), weight, bias)
    with torch.no_grad():
        x = torch.rand(2, 1, 224, 224) * 2048 - 1024
        ours = pack(x)[0]
        theirs = model(x)
    if (ours - theirs[:, keep]).abs().max() > 1e-4:
        raise SystemExit("wrapped model does not reproduce torchxrayvision's outputs")

    export_pack(
        pack,
        args.out,
        pack_id=args.id or f"xrv-{args.weights}",
        version=args.version,
        title=f"torchxrayvision DenseNet-121 ({args.weights})",
        labels=labels,
        channels=1,
        size=224,
        mean=[0.5],
        std=[1 / 2048],
        intended_use="Research use. Public torchxrayvision weights; validate on local data before any clinical use.",
        card=(
            f"# torchxrayvision DenseNet-121 ({args.weights})\n\n"
            "Weights: torchxrayvision (Cohen et al., 2022, https://github.com/mlmed/torchxrayvision, Apache-2.0).\n"
            "Exported with models/export/export_torchxrayvision.py: sigmoid probabilities, logits, 1024-d embedding, CAM.\n"
            "Pack thresholds are torchxrayvision's op_threshs; run `cxr calibrate` on local labelled data to override them.\n"
        ),
        thresholds=thresholds,
        threshold_provenance={
            "dataset": f"torchxrayvision's own validation data for the {args.weights} weights (op_threshs, as published with the weights)",
            "method": "torchxrayvision op_threshs",
        }
        if thresholds
        else None,
    )
    print(f"pack written to {args.out}; install with: cxr models install {args.out}")


if __name__ == "__main__":
    main()
