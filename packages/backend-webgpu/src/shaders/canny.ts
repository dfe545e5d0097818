/**
 * Canny on the device, in four passes over an edge map with a 1-pixel frame, (h+2) x (w+2) u32 cleared
 * to 0 by the host (clearBuffer), so hysteresis never tests for the image edge.
 * States: 0 not an edge (the cleared value), 1 candidate, 2 strong edge (a seed), 3 edge reached.
 */
import { ENTRY, PRELUDE, packedU8Main, u8Reader } from './common.js';

/** Step 1: Sobel (BORDER_REPLICATE), L1 or L2 magnitude and non-maximum suppression in OpenCV's fixed
 * point, straight into the map. Each invocation recomputes the magnitudes of its 3x3 neighbourhood from a
 * 5x5 window of the image: no gradient images, integers only (bit-exact).
 * p: [0] height, [1] width, [2] low, [3] high (integers, squared in L2 mode), [4] L2 */
export const CANNY_NMS = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> map: array<u32>;
${u8Reader('src')}
const TG22: i32 = 13573; // tan(22.5 deg) in Q15, as canny.cpp computes it

fn px(y: i32, x: i32) -> i32 {
  let h = I(0); let w = I(1); return i32(src8(u32(replicate(y, h) * w + replicate(x, w))));
}
// Sobel dx, dy at an in-image pixel, replicated border (what OpenCV's Canny uses).
fn grad(y: i32, x: i32) -> vec2i {
  let gx = (px(y - 1, x + 1) + 2 * px(y, x + 1) + px(y + 1, x + 1)) -
           (px(y - 1, x - 1) + 2 * px(y, x - 1) + px(y + 1, x - 1));
  let gy = (px(y + 1, x - 1) + 2 * px(y + 1, x) + px(y + 1, x + 1)) -
           (px(y - 1, x - 1) + 2 * px(y - 1, x) + px(y - 1, x + 1));
  return vec2i(gx, gy);
}
fn magOf(g: vec2i) -> i32 { if (p[4] != 0u) { return g.x * g.x + g.y * g.y; } return abs(g.x) + abs(g.y); }
// Magnitudes outside the image are 0, as in the CPU reference (and OpenCV's zeroed border rows).
fn mag(y: i32, x: i32) -> i32 { if (y < 0 || x < 0 || y >= I(0) || x >= I(1)) { return 0; } return magOf(grad(y, x)); }

${ENTRY} {
  let e = gidOf(wg, nwg, lid);
  let h = I(0);
  let w = I(1);
  if (e >= u32(h * w)) { return; }
  let x = i32(e) % w;
  let y = i32(e) / w;
  let g = grad(y, x);
  let m = magOf(g);
  if (m <= I(2)) { return; } // stays 0: not an edge
  let xs = abs(g.x);
  let ys = abs(g.y) * 32768;
  let tg22x = xs * TG22;
  var peak: bool;
  if (ys < tg22x) {
    peak = m > mag(y, x - 1) && m >= mag(y, x + 1);
  } else if (ys > tg22x + xs * 65536) {
    peak = m > mag(y - 1, x) && m >= mag(y + 1, x);
  } else {
    var s = 1;
    if ((g.x ^ g.y) < 0) { s = -1; }
    peak = m > mag(y - 1, x - s) && m > mag(y + 1, x + s);
  }
  if (!peak) { return; }
  map[(y + 1) * (w + 2) + x + 1] = select(1u, 2u, m > I(3));
}`;

/** Step 2: hysteresis in parallel. Every strong pixel runs a depth-first search over 8-connected
 * candidates, claiming each with a compare-exchange (1 -> 3), so each pixel is taken by exactly one
 * invocation and pushed once, and claimed pixels never change again: the result does not depend on
 * scheduling. The weak compare-exchange may fail spuriously, so it is retried while the pixel is still a
 * candidate. When the private stack is full the claimed pixel goes to a spill list (one entry per pixel
 * at most, so the list, sized h*w + 1, cannot overflow) which CANNY_FINISH completes.
 * p: [0] height, [1] width */
export const CANNY_HYST = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read_write> map: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read_write> spill: array<atomic<u32>>; // [0] count, [1..] pixels

fn claim(r: u32) -> bool {
  loop {
    let got = atomicCompareExchangeWeak(&map[r], 1u, 3u);
    if (got.exchanged) { return true; }
    if (got.old_value != 1u) { return false; }
  }
}

${ENTRY} {
  let e = gidOf(wg, nwg, lid);
  let h = I(0);
  let w = I(1);
  let stride = w + 2;
  if (e >= u32(h * w)) { return; }
  let start = u32((i32(e) / w + 1) * stride + i32(e) % w + 1);
  if (atomicLoad(&map[start]) != 2u) { return; }
  var offs = array<i32, 8>(-stride - 1, -stride, -stride + 1, -1, 1, stride - 1, stride, stride + 1);
  var stack: array<u32, 32>;
  var n = 0;
  stack[0] = start;
  n = 1;
  while (n > 0) {
    n -= 1;
    let q = stack[n];
    for (var k = 0; k < 8; k++) {
      let r = u32(i32(q) + offs[k]);
      if (claim(r)) {
        if (n < 32) { stack[n] = r; n += 1; }
        else { atomicStore(&spill[1u + atomicAdd(&spill[0], 1u)], r); }
      }
    }
  }
}`;

/** Step 3: one invocation finishes the spilled pixels (usually none) with the spill list as its stack.
 * Every pixel on it is claimed once, so the list never holds more than h*w entries.
 * p: [0] height, [1] width */
export const CANNY_FINISH = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read_write> map: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read_write> spill: array<atomic<u32>>;
@compute @workgroup_size(1)
fn main() {
  let stride = I(1) + 2;
  var offs = array<i32, 8>(-stride - 1, -stride, -stride + 1, -1, 1, stride - 1, stride, stride + 1);
  var n = atomicLoad(&spill[0]);
  while (n > 0u) {
    let q = atomicLoad(&spill[n]);
    n -= 1u;
    for (var k = 0; k < 8; k++) {
      let r = u32(i32(q) + offs[k]);
      if (atomicLoad(&map[r]) == 1u) {
        atomicStore(&map[r], 3u);
        n += 1u;
        atomicStore(&spill[n], r);
      }
    }
  }
  atomicStore(&spill[0], 0u);
}`;

/** Step 4: the map to the uint8 output (255 for states 2 and 3, else 0), four pixels a word.
 * p: [0] height, [1] width */
export const CANNY_OUT = /* wgsl */ `${PRELUDE}
@group(0) @binding(1) var<storage, read> map: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;
fn edgeAt(e: u32) -> u32 {
  let w = I(1);
  return select(0u, 255u, map[(i32(e) / w + 1) * (w + 2) + i32(e) % w + 1] >= 2u);
}
${packedU8Main('edgeAt', 'u32(I(0) * I(1))')}`;
