#version 450
// Canny, step 4: the edge map to the uint8 output (255 for states 2 and 3, else 0), four pixels a word.
// p: [0] height, [1] width
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Map { uint map[]; };
layout(std430, binding = 2) writeonly buffer Dst { uint dst[]; };
void main() {
  int w = I(1);
  uint n = uint(I(0) * w), word = gid();
  if (word * 4u >= n) return;
  uint v = 0u;
  for (uint j = 0u; j < 4u; j++) {
    uint e = word * 4u + j;
    if (e >= n) break;
    if (map[(int(e) / w + 1) * (w + 2) + int(e) % w + 1] >= 2u) v |= 255u << (8u * j);
  }
  dst[word] = v;
}
