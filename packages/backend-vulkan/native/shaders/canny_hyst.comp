#version 450
// Canny, step 2: hysteresis in parallel. Every strong pixel (state 2) runs a depth-first search over
// 8-connected candidates. A candidate is claimed with atomicCompSwap(0 -> 3), so each pixel is taken by
// exactly one invocation and pushed exactly once, and claimed pixels never change again: the result
// does not depend on scheduling. The private stack is small; when it is full the claimed pixel is
// appended to a spill list (one entry per claimed pixel at most, so the list, sized h*w, cannot
// overflow) which canny_finish completes. All map accesses here are atomic: no data race.
// p: [0] height, [1] width
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) buffer Map { uint map[]; };
layout(std430, binding = 2) buffer Spill { uint spill[]; };  // [0] count, [1..] pixels

void main() {
  int h = I(0), w = I(1), stride = w + 2;
  uint e = gid();
  if (e >= uint(h * w)) return;
  uint start = uint((int(e) / w + 1) * stride + int(e) % w + 1);
  if (atomicOr(map[start], 0u) != 2u) return;  // atomic read: neighbours may be claiming pixels now
  const int offs[8] = int[8](-stride - 1, -stride, -stride + 1, -1, 1, stride - 1, stride, stride + 1);
  uint stack[32];
  int n = 0;
  stack[n++] = start;
  while (n > 0) {
    uint q = stack[--n];
    for (int k = 0; k < 8; k++) {
      uint r = uint(int(q) + offs[k]);
      if (atomicCompSwap(map[r], 0u, 3u) == 0u) {
        if (n < 32) stack[n++] = r;
        else spill[1u + atomicAdd(spill[0], 1u)] = r;
      }
    }
  }
}
