#version 450
// Sobel 3x3 (OpenCV's separable taps), float32 output. Every intermediate is a small integer, so the
// float result is exact and equal to the CPU reference whatever the order of the sums.
// p: [0] elements, [1] height, [2] width, [3] channels, [4..6] column taps (order dy),
//    [7..9] row taps (order dx), [10] border (0 reflect-101, 1 replicate)
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Src { uint src[]; };
layout(std430, binding = 2) writeonly buffer Dst { float dst[]; };
int border(int q, int len) { return p[10] == 0u ? reflect101(q, len) : replicate(q, len); }
void main() {
  uint e = gid();
  if (e >= p[0]) return;
  int h = I(1), w = I(2), c = I(3);
  int ie = int(e), ch = ie % c, px = ie / c, x = px % w, y = px / w;
  int acc = 0;
  for (int j = 0; j < 3; j++) {
    int col = border(x + j - 1, w);
    int t = 0;
    for (int i = 0; i < 3; i++) t += I(4 + i) * int(U8(src, uint((border(y + i - 1, h) * w + col) * c + ch)));
    acc += I(7 + j) * t;
  }
  dst[e] = float(acc);
}
