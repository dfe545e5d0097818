#version 450
// uint8 HWC -> float NCHW: out = (pixel * scale - mean[c]) / std[c]. A channel has only 256 values, so the
// host computes each channel's 256 finished values in double exactly as the CPU reference (float32 bits,
// or float16 bits via core's float32ToFloat16Bits) and the shader gathers: bit-exact, and float16
// output needs no float16 support on the device (halves are written as bits, two per word).
// p: [0] pixels per plane, [1] channels, [2] float16, [4..7] source channel of output channel c,
//    [8 + c*256 + v] the value bits
#include "common.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 1) readonly buffer Src { uint src[]; };
layout(std430, binding = 2) writeonly buffer Dst { uint dst[]; };
uint valueAt(uint e) {
  uint plane = p[0], cn = p[1];
  uint c = e / plane, i = e % plane;
  return p[8u + c * 256u + U8(src, i * cn + p[4u + c])];
}
void main() {
  uint w = gid(), total = p[0] * p[1];
  if (p[2] == 0u) {
    if (w < total) dst[w] = valueAt(w);
    return;
  }
  if (w * 2u >= total) return;
  uint v = valueAt(w * 2u) & 0xffffu;
  if (w * 2u + 1u < total) v |= (valueAt(w * 2u + 1u) & 0xffffu) << 16;
  dst[w] = v;
}
