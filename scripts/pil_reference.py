#!/usr/bin/env python3
"""Reference outputs for Ocellus' PIL-semantics ops, computed with Debian's Pillow 9.4 and torchvision 0.14.

Same protocol as opencv_reference.py. Reads a job from stdin:
  {"input": "in.raw", "shape": [h, w, c], "jobs": [{"op": "resize", "attrs": {...}, "output": "out.raw"}]}
A job may carry its own "input" and "shape" (several images in one Python start-up, which is slow for
torch). The input is raw uint8 HWC pixels exactly as Ocellus decoded them, handed to PIL with Image.fromarray,
so only the op is compared, never two JPEG decoders. Each output is written raw (C order); stdout gets
[{"shape": [...], "dtype": "..."}].

Ops:
  resize              PIL Image.resize((width, height), Image.BILINEAR): the antialiased bilinear filter.
                      1 channel as mode L, 3 as RGB; 2 and 4 channels band by band as L images (Ocellus
                      resamples channels independently; PIL's LA/RGBA modes would premultiply alpha).
  classificationCrop  torchvision's eval transform up to the crop: Resize(resize) then CenterCrop(crop),
                      on an RGB PIL image; uint8 [crop, crop, 3].
  classificationInput the whole eval transform: Resize, CenterCrop, ToTensor, Normalize(mean, std);
                      float32 [1, 3, crop, crop].
"""
import json
import sys

import numpy as np
from PIL import Image


def pil_resize(img, a):
    size = (a["width"], a["height"])
    c = img.shape[2]
    if c == 1:
        return np.asarray(Image.fromarray(img[:, :, 0], "L").resize(size, Image.BILINEAR))[:, :, None]
    if c == 3:
        return np.asarray(Image.fromarray(img, "RGB").resize(size, Image.BILINEAR))
    bands = [np.asarray(Image.fromarray(np.ascontiguousarray(img[:, :, k]), "L").resize(size, Image.BILINEAR))
             for k in range(c)]
    return np.stack(bands, axis=2)


def eval_transforms(a, tensor):
    from torchvision import transforms

    steps = [transforms.Resize(a.get("resize", 256)), transforms.CenterCrop(a.get("crop", 224))]
    if tensor:
        steps += [transforms.ToTensor(),
                  transforms.Normalize(a.get("mean", [0.485, 0.456, 0.406]), a.get("std", [0.229, 0.224, 0.225]))]
    return transforms.Compose(steps)


def classification_crop(img, a):
    out = eval_transforms(a, False)(Image.fromarray(img, "RGB"))
    return np.asarray(out)


def classification_input(img, a):
    out = eval_transforms(a, True)(Image.fromarray(img, "RGB"))
    return out.unsqueeze(0).numpy().astype(np.float32)


OPS = {"resize": pil_resize, "classificationCrop": classification_crop, "classificationInput": classification_input}


def main():
    req = json.load(sys.stdin)
    images = {}

    def image(path, shape):
        if path not in images:
            images[path] = np.fromfile(path, dtype=np.uint8).reshape(shape)
        return images[path]

    results = []
    for job in req["jobs"]:
        img = image(job["input"], job["shape"]) if "input" in job else image(req["input"], req["shape"])
        out = OPS[job["op"]](img, job.get("attrs", {}))
        np.ascontiguousarray(out).tofile(job["output"])
        results.append({"shape": list(out.shape), "dtype": str(out.dtype)})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
