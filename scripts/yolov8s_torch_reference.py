#!/usr/bin/python3
"""An independent torch YOLOv8s (Debian python3-torch 1.13, torchvision 0.14, onnx 1.12, OpenCV 4.6).

Run it with Debian's /usr/bin/python3 (the one that has torch, torchvision, onnx and cv2), not a pyenv python.

The network is built here from Ultralytics' definition (ultralytics/cfg/models/v8/yolov8.yaml at scale 's',
parse_model's channel and repeat rules, the Conv / Bottleneck / C2f / SPPF / Detect / DFL modules of
ultralytics/nn/modules and make_anchors / dist2bbox of ultralytics/utils/tal.py), with Ultralytics' module
tree, so its state_dict keys are Ultralytics' (`model.2.m.0.cv1.conv.weight`). Nothing of the ONNX graph is
run or converted: only the file's initializers are read (onnx.numpy_helper) and copied into that
state_dict by name. Anchors and strides are computed here from the feature map sizes, not read from the
file. Loading is strict: every state_dict key (except BN's num_batches_tracked) must be in the file with
the same shape, and an initializer named like a parameter that matches no key is an error.

  forward: the raw network output
    /usr/bin/python3 scripts/yolov8s_torch_reference.py forward --onnx yolov8s.onnx \\
        --input input.f32 --output output0.f32 [--fuse] [--perturb NAME:INDEX:DELTA]
  input: raw float32 (little-endian, C order) [N, 3, 640, 640], N from the file size; output: raw float32
  `output0` [N, 84, 8400] (xywh in input pixels, then 80 sigmoid class scores). --fuse folds each BN into
  its conv as Ultralytics' fuse() does before export. --perturb adds DELTA to element INDEX (flat, C order)
  of the state_dict tensor NAME after loading: a deliberately wrong model, to show a comparison can fail.

  letterbox: the input tensor the detect reference feeds the network
    /usr/bin/python3 scripts/yolov8s_torch_reference.py letterbox --images a.jpg b.jpg --output input.f32
  cv2.imread, LetterBox(640, auto=False, pad 114), BGR -> RGB, HWC -> CHW, / 255; raw float32 [N, 3, 640, 640].

  detect: the whole detection reference, as Ultralytics' DetectionPredictor runs it
    /usr/bin/python3 scripts/yolov8s_torch_reference.py detect --onnx yolov8s.onnx --images a.jpg b.jpg \\
        [--conf 0.25] [--iou 0.7] [--max-det 300] [--fuse] [--perturb NAME:INDEX:DELTA]
  per image: letterbox input as above -> forward -> non_max_suppression (torchvision.ops.nms) -> scale_boxes
  back to the image. stdout: [{"image", "width", "height", "boxes": [[x1, y1, x2, y2]], "scores", "classes"}].

Each command prints one JSON line on stdout. torch runs on --threads threads (default 1: machines are shared).
"""
import argparse
import json
import math
import sys

import cv2
import numpy as np
import torch
import torchvision
# the same strict name-by-name loader as the torchvision reference (this directory is on sys.path when run)
from torchvision_reference import load_onnx_weights  # noqa: E402
from torch import nn

IMGSZ = 640
NC = 80
REG_MAX = 16
# yolov8.yaml scales: s = [depth, width, max_channels].
DEPTH, WIDTH, MAX_CHANNELS = 0.33, 0.50, 1024

# yolov8.yaml: [from, repeats, module, args].
BACKBONE = [
    [-1, 1, "Conv", [64, 3, 2]],  # 0-P1/2
    [-1, 1, "Conv", [128, 3, 2]],  # 1-P2/4
    [-1, 3, "C2f", [128, True]],
    [-1, 1, "Conv", [256, 3, 2]],  # 3-P3/8
    [-1, 6, "C2f", [256, True]],
    [-1, 1, "Conv", [512, 3, 2]],  # 5-P4/16
    [-1, 6, "C2f", [512, True]],
    [-1, 1, "Conv", [1024, 3, 2]],  # 7-P5/32
    [-1, 3, "C2f", [1024, True]],
    [-1, 1, "SPPF", [1024, 5]],  # 9
]
HEAD = [
    [-1, 1, "Upsample", [None, 2, "nearest"]],
    [[-1, 6], 1, "Concat", [1]],  # cat backbone P4
    [-1, 3, "C2f", [512]],  # 12
    [-1, 1, "Upsample", [None, 2, "nearest"]],
    [[-1, 4], 1, "Concat", [1]],  # cat backbone P3
    [-1, 3, "C2f", [256]],  # 15 (P3/8-small)
    [-1, 1, "Conv", [256, 3, 2]],
    [[-1, 12], 1, "Concat", [1]],  # cat head P4
    [-1, 3, "C2f", [512]],  # 18 (P4/16-medium)
    [-1, 1, "Conv", [512, 3, 2]],
    [[-1, 9], 1, "Concat", [1]],  # cat head P5
    [-1, 3, "C2f", [1024]],  # 21 (P5/32-large)
    [[15, 18, 21], 1, "Detect", ["nc"]],  # Detect(P3, P4, P5)
]


# ---- ultralytics/nn/modules ---------------------------------------------------------------------------

def autopad(k):
    return k // 2


class Conv(nn.Module):
    """Conv2d(bias=False) -> BatchNorm2d -> SiLU. Ultralytics' initialize_weights sets every BN's eps to 1e-3."""

    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, autopad(k), bias=False)
        self.bn = nn.BatchNorm2d(c2, eps=1e-3, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))

    def forward_fuse(self, x):
        return self.act(self.conv(x))


class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True, k=(3, 3), e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, k[0], 1)
        self.cv2 = Conv(c_, c2, k[1], 1)
        self.add = shortcut and c1 == c2

    def forward(self, x):
        return x + self.cv2(self.cv1(x)) if self.add else self.cv2(self.cv1(x))


class C2f(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False, e=0.5):
        super().__init__()
        self.c = int(c2 * e)
        self.cv1 = Conv(c1, 2 * self.c, 1, 1)
        self.cv2 = Conv((2 + n) * self.c, c2, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, self.c, shortcut, k=(3, 3), e=1.0) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        y.extend(m(y[-1]) for m in self.m)
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c_ * 4, c2, 1, 1)
        self.m = nn.MaxPool2d(kernel_size=k, stride=1, padding=k // 2)

    def forward(self, x):
        y = [self.cv1(x)]
        y.extend(self.m(y[-1]) for _ in range(3))
        return self.cv2(torch.cat(y, 1))


class Concat(nn.Module):
    def __init__(self, dimension=1):
        super().__init__()
        self.d = dimension

    def forward(self, x):
        return torch.cat(x, self.d)


class DFL(nn.Module):
    """Integral of the 16-bin distribution: softmax over the bins, then a fixed 1x1 conv with weights 0..15."""

    def __init__(self, c1=16):
        super().__init__()
        self.conv = nn.Conv2d(c1, 1, 1, bias=False).requires_grad_(False)
        self.conv.weight.data[:] = nn.Parameter(torch.arange(c1, dtype=torch.float).view(1, c1, 1, 1))
        self.c1 = c1

    def forward(self, x):
        b, _, a = x.shape
        return self.conv(x.view(b, 4, self.c1, a).transpose(2, 1).softmax(1)).view(b, 4, a)


def make_anchors(feats, strides, grid_cell_offset=0.5):
    anchor_points, stride_tensor = [], []
    for i, stride in enumerate(strides):
        _, _, h, w = feats[i].shape
        sx = torch.arange(end=w, dtype=feats[i].dtype) + grid_cell_offset
        sy = torch.arange(end=h, dtype=feats[i].dtype) + grid_cell_offset
        sy, sx = torch.meshgrid(sy, sx, indexing="ij")
        anchor_points.append(torch.stack((sx, sy), -1).view(-1, 2))
        stride_tensor.append(torch.full((h * w, 1), stride, dtype=feats[i].dtype))
    return torch.cat(anchor_points), torch.cat(stride_tensor)


def dist2bbox(distance, anchor_points, xywh=True, dim=-1):
    lt, rb = distance.chunk(2, dim)
    x1y1 = anchor_points - lt
    x2y2 = anchor_points + rb
    if xywh:
        return torch.cat(((x1y1 + x2y2) / 2, x2y2 - x1y1), dim)
    return torch.cat((x1y1, x2y2), dim)


class Detect(nn.Module):
    """The v8 head in inference mode: per level cat(box branch, class branch), DFL, anchors, strides, sigmoid."""

    def __init__(self, nc, ch):
        super().__init__()
        self.nc = nc
        self.nl = len(ch)
        self.reg_max = REG_MAX
        self.no = nc + self.reg_max * 4
        c2, c3 = max((16, ch[0] // 4, self.reg_max * 4)), max(ch[0], min(self.nc, 100))
        self.cv2 = nn.ModuleList(
            nn.Sequential(Conv(x, c2, 3), Conv(c2, c2, 3), nn.Conv2d(c2, 4 * self.reg_max, 1)) for x in ch
        )
        self.cv3 = nn.ModuleList(nn.Sequential(Conv(x, c3, 3), Conv(c3, c3, 3), nn.Conv2d(c3, self.nc, 1)) for x in ch)
        self.dfl = DFL(self.reg_max)
        self.input_hw = None  # set by the model before each forward: strides = input size / feature size

    def forward(self, x):
        for i in range(self.nl):
            x[i] = torch.cat((self.cv2[i](x[i]), self.cv3[i](x[i])), 1)
        shape = x[0].shape
        x_cat = torch.cat([xi.view(shape[0], self.no, -1) for xi in x], 2)
        strides = [self.input_hw[0] / xi.shape[2] for xi in x]
        anchors, stride_t = (t.transpose(0, 1) for t in make_anchors(x, strides, 0.5))
        box, cls = x_cat.split((self.reg_max * 4, self.nc), 1)
        dbox = dist2bbox(self.dfl(box), anchors.unsqueeze(0), xywh=True, dim=1) * stride_t
        return torch.cat((dbox, cls.sigmoid()), 1)


# ---- ultralytics/nn/tasks.py: parse_model and the forward over `from` indices ---------------------------

def make_divisible(x, divisor):
    return math.ceil(x / divisor) * divisor


class DetectionModel(nn.Module):
    def __init__(self, nc=NC):
        super().__init__()
        layers, save, ch = [], [], [3]
        for i, (f, n, m, args) in enumerate(BACKBONE + HEAD):
            n = max(round(n * DEPTH), 1) if n > 1 else n
            if m in ("Conv", "C2f", "SPPF"):
                c1, c2 = ch[f], args[0]
                c2 = make_divisible(min(c2, MAX_CHANNELS) * WIDTH, 8)
                rest = list(args[1:])
                if m == "C2f":
                    module = C2f(c1, c2, n, *rest)
                else:
                    module = (Conv if m == "Conv" else SPPF)(c1, c2, *rest)
            elif m == "Upsample":
                module, c2 = nn.Upsample(*args), ch[f]
            elif m == "Concat":
                module, c2 = Concat(*args), sum(ch[x] for x in f)
            elif m == "Detect":
                module, c2 = Detect(nc, [ch[x] for x in f]), None
            else:
                raise ValueError(m)
            module.f, module.i = f, i
            save.extend(x % i for x in ([f] if isinstance(f, int) else f) if x != -1)
            layers.append(module)
            if i == 0:
                ch = []
            ch.append(c2)
        self.model = nn.Sequential(*layers)
        self.save = sorted(save)
        self.fused = False

    def forward(self, x):
        self.model[-1].input_hw = x.shape[2:]
        y = []
        for m in self.model:
            if m.f != -1:
                x = y[m.f] if isinstance(m.f, int) else [x if j == -1 else y[j] for j in m.f]
            x = m(x)
            y.append(x if m.i in self.save else None)
        return x

    def fuse(self):
        """Ultralytics' fuse_conv_and_bn on every Conv: BN folded into the conv's weight and a new bias."""
        for m in self.modules():
            if isinstance(m, Conv) and hasattr(m, "bn"):
                conv, bn = m.conv, m.bn
                fused = nn.Conv2d(
                    conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, bias=True
                )
                fused.requires_grad_(False)
                w_conv = conv.weight.clone().view(conv.out_channels, -1)
                w_bn = torch.diag(bn.weight.div(torch.sqrt(bn.eps + bn.running_var)))
                fused.weight.copy_(torch.mm(w_bn, w_conv).view(fused.weight.shape))
                b_bn = bn.bias - bn.weight.mul(bn.running_mean).div(torch.sqrt(bn.running_var + bn.eps))
                fused.bias.copy_(b_bn)
                m.conv = fused
                delattr(m, "bn")
                m.forward = m.forward_fuse
        self.fused = True
        return self


def build(args):
    torch.set_num_threads(args.threads)
    model = DetectionModel().eval()
    loaded = load_onnx_weights(model, args.onnx)
    parameters = sum(p.numel() for p in model.parameters())
    info = {"loaded": loaded, "parameters": parameters}
    if getattr(args, "perturb", None):
        name, index, delta = args.perturb.rsplit(":", 2)
        state = model.state_dict()
        if name not in state:
            sys.exit(f"--perturb: no state_dict tensor '{name}'")
        with torch.no_grad():
            flat = state[name].view(-1)
            before = float(flat[int(index)])
            flat[int(index)] += float(delta)
        info["perturbed"] = {"name": name, "index": int(index), "from": before, "to": float(flat[int(index)])}
    if getattr(args, "fuse", False):
        with torch.no_grad():
            model.fuse()
        info["fused"] = True
    return model, info


# ---- ultralytics/data/augment.py LetterBox, predictor preprocess, ops.non_max_suppression, scale_boxes ---

def letterbox(img, new_shape=(IMGSZ, IMGSZ), auto=False, scaleup=True, center=True, stride=32):
    shape = img.shape[:2]  # current shape [height, width]
    r = min(new_shape[0] / shape[0], new_shape[1] / shape[1])
    if not scaleup:
        r = min(r, 1.0)
    new_unpad = int(round(shape[1] * r)), int(round(shape[0] * r))
    dw, dh = new_shape[1] - new_unpad[0], new_shape[0] - new_unpad[1]
    if auto:
        dw, dh = np.mod(dw, stride), np.mod(dh, stride)
    if center:
        dw /= 2
        dh /= 2
    if shape[::-1] != new_unpad:
        img = cv2.resize(img, new_unpad, interpolation=cv2.INTER_LINEAR)
    top, bottom = int(round(dh - 0.1)) if center else 0, int(round(dh + 0.1))
    left, right = int(round(dw - 0.1)) if center else 0, int(round(dw + 0.1))
    return cv2.copyMakeBorder(img, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114))


def read_images(paths):
    images = []
    for p in paths:
        im = cv2.imread(p)  # BGR, EXIF orientation applied
        if im is None:
            sys.exit(f"cv2.imread cannot read {p}")
        images.append(im)
    return images


def preprocess(images):
    """DetectionPredictor.preprocess: letterbox each, BGR -> RGB, BHWC -> BCHW, float32 / 255."""
    im = np.stack([letterbox(x) for x in images])
    im = np.ascontiguousarray(im[..., ::-1].transpose((0, 3, 1, 2)))
    return torch.from_numpy(im).float() / 255


def xywh2xyxy(x):
    y = torch.empty_like(x)
    xy = x[..., :2]
    wh = x[..., 2:] / 2
    y[..., :2] = xy - wh
    y[..., 2:] = xy + wh
    return y


def non_max_suppression(
    prediction, conf_thres=0.25, iou_thres=0.45, agnostic=False, max_det=300, max_nms=30000, max_wh=7680
):
    """ops.non_max_suppression for a detection model (single label per box, no masks)."""
    bs = prediction.shape[0]
    nc = prediction.shape[1] - 4
    mi = 4 + nc
    xc = prediction[:, 4:mi].amax(1) > conf_thres
    prediction = prediction.transpose(-1, -2)
    prediction[..., :4] = xywh2xyxy(prediction[..., :4])
    output = [torch.zeros((0, 6))] * bs
    for xi, x in enumerate(prediction):
        x = x[xc[xi]]
        if not x.shape[0]:
            continue
        box, cls = x.split((4, nc), 1)
        conf, j = cls.max(1, keepdim=True)
        x = torch.cat((box, conf, j.float()), 1)[conf.view(-1) > conf_thres]
        n = x.shape[0]
        if not n:
            continue
        if n > max_nms:
            x = x[x[:, 4].argsort(descending=True)[:max_nms]]
        c = x[:, 5:6] * (0 if agnostic else max_wh)
        boxes, scores = x[:, :4] + c, x[:, 4]
        i = torchvision.ops.nms(boxes, scores, iou_thres)
        output[xi] = x[i[:max_det]]
    return output


def scale_boxes(img1_shape, boxes, img0_shape):
    gain = min(img1_shape[0] / img0_shape[0], img1_shape[1] / img0_shape[1])
    pad = (
        round((img1_shape[1] - img0_shape[1] * gain) / 2 - 0.1),
        round((img1_shape[0] - img0_shape[0] * gain) / 2 - 0.1),
    )
    boxes[..., 0] -= pad[0]
    boxes[..., 1] -= pad[1]
    boxes[..., 2] -= pad[0]
    boxes[..., 3] -= pad[1]
    boxes[..., :4] /= gain
    boxes[..., 0].clamp_(0, img0_shape[1])  # clip_boxes
    boxes[..., 1].clamp_(0, img0_shape[0])
    boxes[..., 2].clamp_(0, img0_shape[1])
    boxes[..., 3].clamp_(0, img0_shape[0])
    return boxes


# ---- commands ---------------------------------------------------------------------------------------------

def cmd_forward(args):
    model, info = build(args)
    raw = np.fromfile(args.input, dtype="<f4")
    per_image = 3 * IMGSZ * IMGSZ
    if raw.size == 0 or raw.size % per_image:
        sys.exit(f"{args.input}: {raw.size} floats is not a whole number of [3, {IMGSZ}, {IMGSZ}] images")
    x = torch.from_numpy(raw.reshape(-1, 3, IMGSZ, IMGSZ).copy())
    with torch.no_grad():
        y = model(x).numpy().astype("<f4")
    y.tofile(args.output)
    print(json.dumps({"shape": list(y.shape), **info}))


def cmd_letterbox(args):
    x = preprocess(read_images(args.images))
    x.numpy().astype("<f4").tofile(args.output)
    print(json.dumps({"shape": list(x.shape)}))


def cmd_detect(args):
    model, info = build(args)
    images = read_images(args.images)
    results = []
    with torch.no_grad():
        for path, im0 in zip(args.images, images):  # one image per call, as the pipeline's run() does
            x = preprocess([im0])
            pred = non_max_suppression(model(x), args.conf, args.iou, max_det=args.max_det)[0]
            pred[:, :4] = scale_boxes(x.shape[2:], pred[:, :4], im0.shape)
            results.append({
                "image": path,
                "width": im0.shape[1],
                "height": im0.shape[0],
                "boxes": pred[:, :4].tolist(),
                "scores": pred[:, 4].tolist(),
                "classes": [int(c) for c in pred[:, 5].tolist()],
            })
    print(json.dumps({"results": results, **info}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("forward", help="raw output0 [N, 84, 8400] of an input tensor")
    f.add_argument("--onnx", required=True)
    f.add_argument("--input", required=True)
    f.add_argument("--output", required=True)
    f.add_argument("--fuse", action="store_true", help="fold BN into the convs (Ultralytics fuse())")
    f.add_argument("--perturb", metavar="NAME:INDEX:DELTA", help="add DELTA to one element of a loaded tensor")
    lb = sub.add_parser("letterbox", help="the letterboxed, normalised input of some images")
    lb.add_argument("--images", nargs="+", required=True)
    lb.add_argument("--output", required=True)
    d = sub.add_parser("detect", help="imread -> letterbox -> forward -> NMS -> scale_boxes, as JSON")
    d.add_argument("--onnx", required=True)
    d.add_argument("--images", nargs="+", required=True)
    d.add_argument("--conf", type=float, default=0.25)
    d.add_argument("--iou", type=float, default=0.7)
    d.add_argument("--max-det", type=int, default=300)
    d.add_argument("--fuse", action="store_true")
    d.add_argument("--perturb", metavar="NAME:INDEX:DELTA")
    for s in (f, lb, d):
        s.add_argument("--threads", type=int, default=1, help="torch threads (default 1: machines are shared)")
    args = p.parse_args()
    {"forward": cmd_forward, "letterbox": cmd_letterbox, "detect": cmd_detect}[args.cmd](args)


if __name__ == "__main__":
    main()
