#!/usr/bin/python3
"""torchvision reference for Ocellus' classification models (Debian python3-torch 1.13, python3-torchvision 0.14).

Run it with Debian's /usr/bin/python3 (the one that has torch, torchvision and onnx), not a pyenv python.

  logits: run torchvision's own model with the weights of one of our .onnx files
    /usr/bin/python3 scripts/torchvision_reference.py logits --onnx resnet50.onnx --model resnet50 \\
        --input input.f32 --output logits.f32
  The input is raw float32 (little-endian, C order) [N, 3, 224, 224]; N comes from the file size. The
  model (resnet50 | mobilenet_v3_large, alias mobilenetv3) is built by torchvision in eval mode, and every
  initializer of the .onnx file is loaded into its state_dict by name. Loading is strict: each state_dict
  key (except BN's num_batches_tracked counters, which inference never reads) must be in the file with the
  same shape, and an initializer that looks like a parameter but matches no key is an error. The logits
  are written raw float32 [N, 1000]; stdout gets {"shape": [N, 1000], "loaded": <tensor count>}.

  export: a model written by torch.onnx.export, i.e. not by Ocellus' own ONNX writer
    /usr/bin/python3 scripts/torchvision_reference.py export --model mobilenet_v3_large --seed 0 --output m.onnx
  torchvision's own random init (torch.manual_seed(seed)), eval mode, opset 17, input `input`
  [batch, 3, 224, 224] and output `logits` [batch, 1000] with a dynamic batch axis. The exporter folds
  BatchNormalization into the convolutions, so the file's initializers are not torchvision's state_dict.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
import torchvision
from onnx import numpy_helper

MODELS = {
    "resnet50": torchvision.models.resnet50,
    "mobilenet_v3_large": torchvision.models.mobilenet_v3_large,
    "mobilenetv3": torchvision.models.mobilenet_v3_large,
}
PARAM_SUFFIXES = (".weight", ".bias", ".running_mean", ".running_var")


def build(name):
    if name not in MODELS:
        sys.exit(f"unknown model '{name}': one of {', '.join(MODELS)}")
    return MODELS[name](weights=None).eval()


def load_onnx_weights(model, path):
    """Copies the .onnx initializers into the model's state_dict by name; strict, see the docstring."""
    inits = {t.name: numpy_helper.to_array(t) for t in onnx.load(path).graph.initializer}
    state = model.state_dict()
    wanted = [k for k in state if not k.endswith("num_batches_tracked")]
    missing = [k for k in wanted if k not in inits]
    if missing:
        sys.exit(f"{path}: {len(missing)} state_dict keys have no initializer, e.g. {missing[:5]}")
    wrong = [
        (k, tuple(inits[k].shape), tuple(state[k].shape))
        for k in wanted
        if tuple(inits[k].shape) != tuple(state[k].shape)
    ]
    if wrong:
        sys.exit(f"{path}: shape mismatch (name, onnx, torch): {wrong[:5]}")
    stray = [k for k in inits if k not in state and k.endswith(PARAM_SUFFIXES)]
    if stray:
        sys.exit(f"{path}: initializers named like parameters but not in the model's state_dict: {stray[:5]}")
    with torch.no_grad():
        for k in wanted:
            state[k].copy_(torch.tensor(inits[k]))  # a copy: to_array gives read-only views
    return len(wanted)


def cmd_logits(args):
    model = build(args.model)
    loaded = load_onnx_weights(model, args.onnx)
    raw = np.fromfile(args.input, dtype="<f4")
    per_image = 3 * 224 * 224
    if raw.size == 0 or raw.size % per_image:
        sys.exit(f"{args.input}: {raw.size} floats is not a whole number of [3, 224, 224] images")
    x = torch.from_numpy(raw.reshape(-1, 3, 224, 224))
    torch.set_num_threads(args.threads)
    with torch.no_grad():
        logits = model(x).numpy().astype("<f4")
    logits.tofile(args.output)
    print(json.dumps({"shape": list(logits.shape), "loaded": loaded}))


def cmd_export(args):
    torch.manual_seed(args.seed)
    model = build(args.model)
    dummy = torch.randn(1, 3, 224, 224)
    tmp = args.output + ".tmp"
    torch.onnx.export(model, dummy, tmp, opset_version=17, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    os.replace(tmp, args.output)  # never leave a half-written file under the final name
    print(json.dumps({"output": args.output, "model": args.model, "seed": args.seed}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("logits", help="torchvision logits with the weights of an Ocellus .onnx file")
    p.add_argument("--onnx", required=True)
    p.add_argument("--model", required=True, choices=sorted(MODELS))
    p.add_argument("--input", required=True, help="raw float32 [N, 3, 224, 224]")
    p.add_argument("--output", required=True, help="raw float32 [N, 1000]")
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1: CI machines are shared)")
    p.set_defaults(run=cmd_logits)
    p = sub.add_parser("export", help="torch.onnx.export of a torchvision model with its own seeded init")
    p.add_argument("--model", required=True, choices=sorted(MODELS))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--output", required=True)
    p.set_defaults(run=cmd_export)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
