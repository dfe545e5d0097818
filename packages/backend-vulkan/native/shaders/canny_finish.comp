#version 450
// Canny, step 3: one invocation finishes the spilled pixels (usually none) with the spill list as its
// stack. Every pixel on it is claimed once, so the list never holds more than h*w entries and the loop
// ends after at most h*w pushes. Runs alone (one workgroup of one invocation): plain accesses are safe.
// p: [0] height, [1] width
#include "common.glsl"
layout(local_size_x = 1) in;
layout(std430, binding = 1) buffer Map { uint map[]; };
layout(std430, binding = 2) buffer Spill { uint spill[]; };
void main() {
  int stride = I(1) + 2;
  const int offs[8] = int[8](-stride - 1, -stride, -stride + 1, -1, 1, stride - 1, stride, stride + 1);
  uint n = spill[0];
  while (n > 0u) {
    uint q = spill[n];
    n--;
    for (int k = 0; k < 8; k++) {
      uint r = uint(int(q) + offs[k]);
      if (map[r] == 0u) {
        map[r] = 3u;
        n++;
        spill[n] = r;
      }
    }
  }
  spill[0] = 0u;
}
