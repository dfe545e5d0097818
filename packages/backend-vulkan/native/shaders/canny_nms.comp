#version 450
// Canny, step 1: Sobel (BORDER_REPLICATE), L1 or L2 magnitude, non-maximum suppression in OpenCV's
// fixed point, straight into the edge map. Each invocation recomputes the magnitudes of its 3x3
// neighbourhood from a 5x5 window of the image: no gradient images, integers only (bit-exact).
// The map has a 1-pixel frame (filled with NOT_EDGE by the host before this pass) so the hysteresis never
// tests for the image edge. States: 0 candidate, 1 not an edge, 2 strong edge (seed), 3 edge reached.
// p: [0] height, [1] width, [2] low, [3] high (integers, squared in L2 mode), [4] L2
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Src { uint src[]; };
layout(std430, binding = 2) writeonly buffer Map { uint map[]; };

const int TG22 = 13573;  // tan(22.5 deg) in Q15, as canny.cpp computes it

int h, w;
int px(int y, int x) { return int(U8(src, uint(replicate(y, h) * w + replicate(x, w)))); }
// Sobel dx, dy at an in-image pixel, replicated border (what OpenCV's Canny uses).
ivec2 grad(int y, int x) {
  int gx = (px(y - 1, x + 1) + 2 * px(y, x + 1) + px(y + 1, x + 1)) -
           (px(y - 1, x - 1) + 2 * px(y, x - 1) + px(y + 1, x - 1));
  int gy = (px(y + 1, x - 1) + 2 * px(y + 1, x) + px(y + 1, x + 1)) -
           (px(y - 1, x - 1) + 2 * px(y - 1, x) + px(y - 1, x + 1));
  return ivec2(gx, gy);
}
int magOf(ivec2 g) { return p[4] != 0u ? g.x * g.x + g.y * g.y : abs(g.x) + abs(g.y); }
// Magnitudes outside the image are 0, as in the CPU reference (and OpenCV's zeroed border rows).
int mag(int y, int x) { return (y < 0 || x < 0 || y >= h || x >= w) ? 0 : magOf(grad(y, x)); }

void main() {
  h = I(0);
  w = I(1);
  uint e = gid();
  if (e >= uint(h * w)) return;
  int x = int(e) % w, y = int(e) / w;
  ivec2 g = grad(y, x);
  int m = magOf(g);
  int low = I(2), high = I(3);
  if (m <= low) return;  // stays NOT_EDGE (the host filled the map with 1)
  int xs = abs(g.x), ys = abs(g.y) * 32768;
  int tg22x = xs * TG22;
  bool peak;
  if (ys < tg22x) {
    peak = m > mag(y, x - 1) && m >= mag(y, x + 1);
  } else if (ys > tg22x + xs * 65536) {
    peak = m > mag(y - 1, x) && m >= mag(y + 1, x);
  } else {
    int s = (g.x ^ g.y) < 0 ? -1 : 1;
    peak = m > mag(y - 1, x - s) && m > mag(y + 1, x + s);
  }
  if (!peak) return;
  map[(y + 1) * (w + 2) + x + 1] = m > high ? 2u : 0u;
}
