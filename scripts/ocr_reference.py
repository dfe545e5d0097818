#!/usr/bin/env python3
"""Reference outputs for Ocellus' OCR pieces, computed with OpenCV 4.6 from Debian (python3-opencv),
following PaddleOCR's code (tools/infer/predict_det.py, ppocr/postprocess/db_postprocess.py,
tools/infer/predict_system.py) step for step.

Reads a job list from stdin: {"jobs": [{"op": ..., ...}]}; writes a JSON list of results to stdout.
Large arrays travel as raw files (paths given in the job).
  minarearect  {"points": [[x,y],...]}                         -> {"corners": [[x,y]x4], "size": [w,h]}
  warp         {"input", "shape", "quad", "width", "height", "output"}  cv2.warpPerspective INTER_LINEAR,
               BORDER_REPLICATE of the quad onto width x height (get_rotate_crop_image without the rot90)
  det_input    {"input", "shape", "output"}: RGB HWC uint8 -> DetResizeForTest(limit 960, max) +
               NormalizeImage on the BGR image, CHW float32   -> {"shape": [3,h,w]}
  det_map      {"model", "input", "shape", "output"}: the det model run by cv2.dnn on that CHW float32
  db           {"input", "shape" [h,w], "src": [h,w]}: DBPostProcess on a probability map, then
               filter_tag_det_res                             -> {"boxes": [[[x,y]x4]...], "scores": [...]}
"""
import json
import sys

import cv2
import numpy as np


def raw(path, dtype, shape):
    return np.fromfile(path, dtype=dtype).reshape(shape)


def minarearect(job):
    pts = np.array(job["points"], dtype=np.float32)
    rect = cv2.minAreaRect(pts)
    return {"corners": cv2.boxPoints(rect).tolist(), "size": list(rect[1])}


def warp(job):
    img = raw(job["input"], np.uint8, job["shape"])
    w, h = job["width"], job["height"]
    src = np.array(job["quad"], dtype=np.float32)
    dst = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_LINEAR)
    np.ascontiguousarray(out).tofile(job["output"])
    return {"shape": list(out.shape)}


def det_input(job):
    rgb = raw(job["input"], np.uint8, job["shape"])
    img = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)  # PaddleOCR reads with cv2.imread: BGR
    h, w = img.shape[:2]
    limit = 960
    ratio = float(limit) / max(h, w) if max(h, w) > limit else 1.0
    rh, rw = int(h * ratio), int(w * ratio)
    rh = max(int(round(rh / 32) * 32), 32)
    rw = max(int(round(rw / 32) * 32), 32)
    img = cv2.resize(img, (int(rw), int(rh)))
    scale = np.float32(1.0 / 255.0)
    mean = np.array([0.485, 0.456, 0.406]).reshape((1, 1, 3)).astype("float32")
    std = np.array([0.229, 0.224, 0.225]).reshape((1, 1, 3)).astype("float32")
    out = (img.astype("float32") * scale - mean) / std
    out = np.ascontiguousarray(out.transpose((2, 0, 1)))
    out.tofile(job["output"])
    return {"shape": list(out.shape)}


def det_map(job):
    x = raw(job["input"], np.float32, job["shape"])[None]
    net = cv2.dnn.readNetFromONNX(job["model"])
    net.setInput(x)
    out = np.ascontiguousarray(net.forward().astype(np.float32))
    out.tofile(job["output"])
    return {"shape": list(out.shape)}


def get_mini_boxes(contour):
    bounding_box = cv2.minAreaRect(contour)
    points = sorted(list(cv2.boxPoints(bounding_box)), key=lambda x: x[0])
    if points[1][1] > points[0][1]:
        i1, i4 = 0, 1
    else:
        i1, i4 = 1, 0
    if points[3][1] > points[2][1]:
        i2, i3 = 2, 3
    else:
        i2, i3 = 3, 2
    return [points[i1], points[i2], points[i3], points[i4]], min(bounding_box[1])


def box_score_fast(bitmap, _box):
    h, w = bitmap.shape[:2]
    box = _box.copy()
    xmin = np.clip(np.floor(box[:, 0].min()).astype("int32"), 0, w - 1)
    xmax = np.clip(np.ceil(box[:, 0].max()).astype("int32"), 0, w - 1)
    ymin = np.clip(np.floor(box[:, 1].min()).astype("int32"), 0, h - 1)
    ymax = np.clip(np.ceil(box[:, 1].max()).astype("int32"), 0, h - 1)
    mask = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    box[:, 0] = box[:, 0] - xmin
    box[:, 1] = box[:, 1] - ymin
    cv2.fillPoly(mask, box.reshape(1, -1, 2).astype("int32"), 1)
    return cv2.mean(bitmap[ymin:ymax + 1, xmin:xmax + 1], mask)[0]


def unclip(box, ratio):
    # pyclipper's JT_ROUND offset (pyclipper is not in Debian): the polygon's Minkowski sum with a
    # disc of radius distance, sampled finely; only its minAreaRect is used afterwards
    poly = np.array(box, dtype=np.float64)
    area = 0.5 * abs(np.dot(poly[:, 0], np.roll(poly[:, 1], 1)) - np.dot(poly[:, 1], np.roll(poly[:, 0], 1)))
    length = np.sum(np.linalg.norm(poly - np.roll(poly, 1, axis=0), axis=1))
    d = area * ratio / length
    t = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    disc = np.stack([np.cos(t), np.sin(t)], axis=1) * d
    return (poly[:, None, :] + disc[None, :, :]).reshape(-1, 2).astype(np.float32)


def order_points_clockwise(pts):
    rect = np.zeros((4, 2), dtype="float32")
    s = pts.sum(axis=1)
    rect[0] = pts[np.argmin(s)]
    rect[2] = pts[np.argmax(s)]
    tmp = np.delete(pts, (np.argmin(s), np.argmax(s)), axis=0)
    diff = np.diff(np.array(tmp), axis=1)
    rect[1] = tmp[np.argmin(diff)]
    rect[3] = tmp[np.argmax(diff)]
    return rect


def db(job):
    pred = raw(job["input"], np.float32, job["shape"])
    height, width = pred.shape
    dest_h, dest_w = job["src"]
    bitmap = pred > 0.3
    contours, _ = cv2.findContours((bitmap * 255).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes, scores = [], []
    for contour in contours[:1000]:
        points, sside = get_mini_boxes(contour)
        if sside < 3:
            continue
        points = np.array(points)
        score = box_score_fast(pred, points.reshape(-1, 2))
        if 0.6 > score:
            continue
        box = unclip(points, 1.5).reshape(-1, 1, 2)
        box, sside = get_mini_boxes(box)
        if sside < 3 + 2:
            continue
        box = np.array(box)
        box[:, 0] = np.clip(np.round(box[:, 0] / width * dest_w), 0, dest_w)
        box[:, 1] = np.clip(np.round(box[:, 1] / height * dest_h), 0, dest_h)
        box = order_points_clockwise(box.astype("int32"))
        box[:, 0] = np.clip(box[:, 0], 0, dest_w - 1)
        box[:, 1] = np.clip(box[:, 1], 0, dest_h - 1)
        if int(np.linalg.norm(box[0] - box[1])) <= 3 or int(np.linalg.norm(box[0] - box[3])) <= 3:
            continue
        boxes.append(box.astype(int).tolist())
        scores.append(float(score))
    return {"boxes": boxes, "scores": scores}


OPS = {"minarearect": minarearect, "warp": warp, "det_input": det_input, "det_map": det_map, "db": db}


def main():
    req = json.load(sys.stdin)
    json.dump([OPS[j["op"]](j) for j in req["jobs"]], sys.stdout)


if __name__ == "__main__":
    main()
