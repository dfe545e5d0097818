import { type Device, type Tensor, canny, gaussianBlur, grayscale, openDevice, resize } from '@ocellus/core';
import { version } from '@ocellus/core/package.json';
import type { OpCall, Peer } from '../cases.js';
import type { BenchImage } from '../image.js';

/**
 * Ocellus on the CPU reference backend. The input tensors are uploaded once; each timed call runs one
 * op (kernels run synchronously in run(), so the call's time is the op's) and disposes its output, as a
 * pipeline would. Output allocation is part of the op, as it is for any user of core.
 */
export async function ocellusPeer(img: BenchImage): Promise<Peer> {
  // discover: false: only the built-in CPU backend is wanted, not whatever packages are installed.
  const device: Device = await openDevice('cpu', { discover: false });
  const rgb = device.tensor(img.rgb, [img.height, img.width, 3], 'uint8');
  const gray = device.tensor(img.gray, [img.height, img.width, 1], 'uint8');
  const once =
    (op: () => Tensor): OpCall =>
    () =>
      op().dispose();
  return {
    name: 'Ocellus-CPU',
    version: `@ocellus/core ${version}, CPU reference backend (TypeScript, 1 thread) on ${device.info.name}`,
    ops: {
      gray: once(() => grayscale(rgb, { order: 'rgb' })),
      'resize-960x540': once(() => resize(rgb, { width: 960, height: 540, interpolation: 'bilinear' })),
      'resize-640x640': once(() => resize(rgb, { width: 640, height: 640, interpolation: 'bilinear' })),
      'blur-5x5': once(() => gaussianBlur(rgb, { ksize: 5, sigma: 0 })),
      canny: once(() => canny(gray, { low: 50, high: 150, l2: false })),
    },
    notes: [
      'Ocellus-CPU: OpenCV semantics (INTER_LINEAR, BORDER_REFLECT_101, 3x3 Sobel Canny); a new output tensor per call',
    ],
    close: () => device.close(),
  };
}
