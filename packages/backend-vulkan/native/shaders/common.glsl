// Shared by the built-in kernels. Binding 0 of every built-in kernel is its parameter block: uint words
// written by the host for each run (sizes, and tables computed in double on the host exactly as the CPU
// reference computes them, so the device never re-derives a rounding-sensitive coordinate in float).
//
// uint8 tensors are stored packed, four bytes per uint32 (little endian, byte i of the tensor is bits
// 8*(i&3) of word i>>2). Readers extract a byte; every writer produces one whole word (4 output bytes),
// so no two invocations ever write the same word: no 8-bit storage extension, no atomics, no races.
#define WG 64u
layout(std430, set = 0, binding = 0) readonly buffer Params { uint p[]; };

// Invocation index over a 2D grid of workgroups: the host splits a large 1D count over x and y
// because maxComputeWorkGroupCount[0] may be as small as 65535.
uint gid() { return (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * WG + gl_LocalInvocationID.x; }

#define U8(buf, i) ((buf[(i) >> 2] >> (((i) & 3u) << 3)) & 255u)
#define I(k) int(p[k])

// OpenCV's borderInterpolate for BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba), reflecting again for
// kernels wider than the image, as the CPU reference's borderIndex does.
int reflect101(int q, int len) {
  if (len == 1) return 0;
  while (q < 0 || q >= len) q = q < 0 ? -q : 2 * (len - 1) - q;
  return q;
}
int replicate(int q, int len) { return clamp(q, 0, len - 1); }
