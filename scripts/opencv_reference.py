#!/usr/bin/env python3
"""Reference outputs for Ocellus' image ops, computed with OpenCV 4.6 from Debian (python3-opencv).

Reads a job from stdin:
  {"input": "in.raw", "shape": [h, w, c], "jobs": [{"op": "canny", "attrs": {...}, "output": "out.raw"}]}
The input is raw uint8 HWC pixels exactly as Ocellus decoded them, so only the op is compared, never
two JPEG decoders. Each output is written raw (C order); stdout gets [{"shape": [...], "dtype": "..."}].
Semantics follow the libraries users compare against: OpenCV for colour, resize, blur, Sobel and Canny;
torchvision's center_crop arithmetic; Ultralytics' LetterBox steps done with cv2.
"""
import json
import sys

import cv2
import numpy as np


def py_round(x):
    return int(round(x))  # Python rounds halves to even, as torchvision and Ultralytics do


def grayscale(img, a):
    c = img.shape[2]
    rgb = a.get("order", "rgb") == "rgb"
    code = {(3, True): cv2.COLOR_RGB2GRAY, (3, False): cv2.COLOR_BGR2GRAY,
            (4, True): cv2.COLOR_RGBA2GRAY, (4, False): cv2.COLOR_BGRA2GRAY}[(c, rgb)]
    return cv2.cvtColor(img, code)[:, :, None]


def swap_rb(img, a):
    code = cv2.COLOR_RGB2BGR if img.shape[2] == 3 else cv2.COLOR_RGBA2BGRA
    return cv2.cvtColor(img, code)


def resize(img, a):
    interp = cv2.INTER_NEAREST if a.get("interpolation") == "nearest" else cv2.INTER_LINEAR
    out = cv2.resize(img, (a["width"], a["height"]), interpolation=interp)
    return out.reshape(a["height"], a["width"], img.shape[2])


def gaussian_blur(img, a):
    k = a.get("ksize", 5)
    out = cv2.GaussianBlur(img, (k, k), a.get("sigma", 0), borderType=cv2.BORDER_REFLECT_101)
    return out.reshape(img.shape)


def sobel(img, a):
    border = cv2.BORDER_REPLICATE if a.get("border") == "replicate" else cv2.BORDER_REFLECT_101
    out = cv2.Sobel(img, cv2.CV_32F, a.get("dx", 1), a.get("dy", 0), ksize=3, borderType=border)
    return out.reshape(img.shape)


def canny(img, a):
    out = cv2.Canny(img[:, :, 0], a.get("low", 50), a.get("high", 150), apertureSize=3,
                    L2gradient=a.get("l2", False))
    return out[:, :, None]


def center_crop(img, a):
    # torchvision.transforms.functional.center_crop: pad a too-small side, then crop at round((H - h) / 2).
    h, w = a["height"], a["width"]
    H, W = img.shape[:2]
    pad_v = a.get("padValue", 0)
    if h > H or w > W:
        top = (h - H) // 2 if h > H else 0
        left = (w - W) // 2 if w > W else 0
        bottom = (h - H + 1) // 2 if h > H else 0
        right = (w - W + 1) // 2 if w > W else 0
        img = np.pad(img, ((top, bottom), (left, right), (0, 0)), constant_values=pad_v)
        H, W = img.shape[:2]
    t = py_round((H - h) / 2.0)
    l = py_round((W - w) / 2.0)
    return np.ascontiguousarray(img[t:t + h, l:l + w])


def letterbox(img, a):
    # ultralytics/data/augment.py LetterBox.__call__, step for step.
    new_h, new_w = a.get("height", 640), a.get("width", 640)
    stride = a.get("stride", 32)
    h, w = img.shape[:2]
    r = min(new_h / h, new_w / w)
    if not a.get("scaleUp", True):
        r = min(r, 1.0)
    new_unpad = (py_round(w * r), py_round(h * r))
    dw, dh = new_w - new_unpad[0], new_h - new_unpad[1]
    if a.get("auto", False):
        dw, dh = np.mod(dw, stride), np.mod(dh, stride)
    center = a.get("center", True)
    if center:
        dw /= 2
        dh /= 2
    c = img.shape[2]
    if (w, h) != new_unpad:
        img = cv2.resize(img, new_unpad, interpolation=cv2.INTER_LINEAR).reshape(new_unpad[1], new_unpad[0], c)
    top, bottom = (py_round(dh - 0.1) if center else 0), py_round(dh + 0.1)
    left, right = (py_round(dw - 0.1) if center else 0), py_round(dw + 0.1)
    pad = a.get("padValue", 114)
    out = cv2.copyMakeBorder(img, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(pad,) * c)
    return out.reshape(out.shape[0], out.shape[1], c)


def normalize(img, a):
    c = img.shape[2]
    mean = np.broadcast_to(np.array(a.get("mean", [0]), np.float64), (c,))
    std = np.broadcast_to(np.array(a.get("std", [1]), np.float64), (c,))
    x = img.astype(np.float64) * a.get("scale", 1 / 255)
    if a.get("swapRB", False):
        x = x[:, :, ::-1]
    x = (x - mean) / std
    dtype = np.float16 if a.get("dtype") == "float16" else np.float32
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None].astype(dtype))


OPS = {"grayscale": grayscale, "swapRB": swap_rb, "resize": resize, "gaussianBlur": gaussian_blur,
       "sobel": sobel, "canny": canny, "centerCrop": center_crop, "letterbox": letterbox,
       "normalize": normalize}


def main():
    req = json.load(sys.stdin)
    img = np.fromfile(req["input"], dtype=np.uint8).reshape(req["shape"])
    results = []
    for job in req["jobs"]:
        out = OPS[job["op"]](img, job.get("attrs", {}))
        np.ascontiguousarray(out).tofile(job["output"])
        results.append({"shape": list(out.shape), "dtype": str(out.dtype)})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
