#version 450
// RGB <-> BGR (and RGBA <-> BGRA): channel 0 and 2 exchange, the others are copied.
// p: [0] bytes, [1] channels
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Src { uint src[]; };
layout(std430, binding = 2) writeonly buffer Dst { uint dst[]; };
void main() {
  uint w = gid(), n = p[0], c = p[1];
  if (w * 4u >= n) return;
  uint v = 0u;
  for (uint j = 0u; j < 4u; j++) {
    uint i = w * 4u + j;
    if (i >= n) break;
    uint ch = i % c;
    uint s = ch == 0u ? i + 2u : (ch == 2u ? i - 2u : i);
    v |= U8(src, s) << (8u * j);
  }
  dst[w] = v;
}
