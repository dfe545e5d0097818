#version 450
// PIL's antialiased BILINEAR (ImagingResampleHorizontal/Vertical_8bpc), one pass per dispatch:
// acc = 2^21 + sum(sample * weight) with Q22 weights computed on the host in double exactly as Pillow,
// then clip8 (arithmetic shift by 22, clamp to 0..255). Integer only: the same bytes as the CPU reference.
// p: [0] output bytes, [1] output width (pixels), [2] channels, [3] direction (0 horizontal, 1 vertical),
//    [4] source row length (elements), [5] first source row (horizontal) or row offset (vertical),
//    [6] ksize, [7] output size along the axis, [8...] start[n], count[n], weights[n * ksize]
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Src { uint src[]; };
layout(std430, binding = 2) writeonly buffer Dst { uint dst[]; };

uint sampleAt(uint e) {
  int cn = I(2), outW = I(1), stride = I(4), ks = I(6), n = I(7);
  int ie = int(e);
  int row = ie / (outW * cn), inRow = ie % (outW * cn);
  int ss = 1 << 21;
  if (I(3) == 0) {
    int xx = inRow / cn, c = inRow % cn;
    int start = I(8 + xx), count = I(8 + n + xx), wAt = 8 + 2 * n + xx * ks;
    int base = (I(5) + row) * stride + start * cn + c;
    for (int t = 0; t < count; t++) ss += int(U8(src, uint(base + t * cn))) * I(wAt + t);
  } else {
    int yy = row;
    int start = I(8 + yy), count = I(8 + n + yy), wAt = 8 + 2 * n + yy * ks;
    int base = (start - I(5)) * stride + inRow;
    for (int t = 0; t < count; t++) ss += int(U8(src, uint(base + t * stride))) * I(wAt + t);
  }
  return uint(clamp(ss >> 22, 0, 255));
}

void main() {
  uint w = gid(), n = p[0];
  if (w * 4u >= n) return;
  uint v = 0u;
  for (uint j = 0u; j < 4u; j++) {
    uint e = w * 4u + j;
    if (e >= n) break;
    v |= sampleAt(e) << (8u * j);
  }
  dst[w] = v;
}
