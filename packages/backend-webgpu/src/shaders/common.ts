/**
 * What every built-in WGSL kernel starts with. Binding 0 is the run's parameter block: u32 words written
 * by the host for each dispatch (sizes, and tables computed in double on the host exactly as core's CPU
 * reference computes them, so the device never re-derives a rounding-sensitive value in float).
 *
 * WGSL has no 8-bit storage, so uint8 tensors are packed four bytes per u32 word (little endian: byte i
 * is bits 8*(i&3) of word i>>2). Readers extract a byte; every writer produces whole words (4 output
 * bytes), so no two invocations write the same word: no atomics, no races.
 */
export const PRELUDE = /* wgsl */ `
@group(0) @binding(0) var<storage, read> p: array<u32>;
const WG: u32 = 64u;

// Invocation index over a 2D grid of workgroups: the host splits a large 1D count over x and y because
// maxComputeWorkgroupsPerDimension may be as small as 65535.
fn gidOf(wg: vec3u, nwg: vec3u, lid: vec3u) -> u32 { return (wg.y * nwg.x + wg.x) * WG + lid.x; }
fn I(k: u32) -> i32 { return i32(p[k]); }

// OpenCV's BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba), reflecting again for kernels wider than the
// image, as the CPU reference's borderIndex does.
fn reflect101(q0: i32, len: i32) -> i32 {
  if (len == 1) { return 0; }
  var q = q0;
  loop {
    if (q >= 0 && q < len) { break; }
    if (q < 0) { q = -q; } else { q = 2 * (len - 1) - q; }
  }
  return q;
}
fn replicate(q: i32, len: i32) -> i32 { return clamp(q, 0, len - 1); }
`;

/** The entry point's parameters; the body starts with `let w = gidOf(wg, nwg, lid);`. */
export const ENTRY = /* wgsl */ `@compute @workgroup_size(64)
fn main(
  @builtin(workgroup_id) wg: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
)`;

/** A byte reader for a packed uint8 storage array declared as `name`. */
export const u8Reader = (name: string) =>
  `fn ${name}8(i: u32) -> u32 { return (${name}[i >> 2u] >> ((i & 3u) << 3u)) & 255u; }`;

/** Storage bindings 1 (read) and 2 (write) as u32 arrays, the usual shape of a kernel. */
export const SRC_DST = /* wgsl */ `
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;
${u8Reader('src')}
`;

/**
 * The entry point of a kernel with packed uint8 output in `dst`: each invocation writes one whole word,
 * bytes 4w..4w+3 (up to `count` bytes), byte e being `fn(e) & 255` of a function the kernel defines.
 */
export function packedU8Main(fn: string, count = 'p[0]'): string {
  return /* wgsl */ `${ENTRY} {
  let w = gidOf(wg, nwg, lid);
  let n = ${count};
  if (w * 4u >= n) { return; }
  var v = 0u;
  for (var j = 0u; j < 4u; j++) {
    let e = w * 4u + j;
    if (e >= n) { break; }
    v |= (${fn}(e) & 255u) << (8u * j);
  }
  dst[w] = v;
}`;
}
