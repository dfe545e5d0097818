import { channelParams, normalizeOp } from '../../ops/normalize.js';
import { float32ToFloat16Bits } from '../../tensor/float16.js';
import { hostData } from '../buffer.js';
import { defineCpuKernel } from '../kernel.js';

/**
 * uint8 HWC -> float NCHW [1, C, H, W]: out = (pixel * scale - mean[c]) / std[c], computed in double
 * and rounded to float32 (float16 goes on from there with float32ToFloat16Bits). A uint8 channel has
 * only 256 values, so each output channel gets a 256-entry table of finished values (float32, or half
 * bits) and the pixel loop is a gather; the per-pixel cost does not depend on the dtype.
 */
export const normalizeKernel = defineCpuKernel(normalizeOp, ([image], [out], attrs) => {
  const src = hostData(image!, 'uint8');
  const [h, w, cn] = image!.shape as [number, number, number];
  const plane = h * w;
  const { mean, invStd } = channelParams(attrs, cn);
  const half = attrs.dtype === 'float16';
  const dst = half ? hostData(out!, 'float16') : hostData(out!, 'float32');
  const lut = half ? new Uint16Array(256) : new Float32Array(256);
  for (let c = 0; c < cn; c++) {
    // swapRB reverses the channel order: output channel c reads input channel cn - 1 - c.
    const from = attrs.swapRB ? cn - 1 - c : c;
    for (let v = 0; v < 256; v++) {
      const x = (v * attrs.scale - mean[c]!) * invStd[c]!;
      lut[v] = half ? float32ToFloat16Bits(x) : x;
    }
    const base = c * plane;
    for (let i = 0, s = from; i < plane; i++, s += cn) dst[base + i] = lut[src[s]!]!;
  }
});
