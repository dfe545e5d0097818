import type { OpResult } from './pipeline.js';
import { type Pixels, toRgba } from './pixels.js';

/** Shows pixels on a canvas at their own size (CSS scales it down to fit). */
export function drawPixels(canvas: HTMLCanvasElement, pixels: Pixels): void {
  canvas.width = pixels.width;
  canvas.height = pixels.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot create a 2D canvas');
  ctx.putImageData(new ImageData(toRgba(pixels), pixels.width, pixels.height), 0, 0);
}

/** One table row per op and device: upload, kernels, download and total milliseconds. */
export function renderTimings(body: HTMLTableSectionElement, rows: readonly OpResult[]): void {
  body.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      const { upload, kernels, download } = r.timing;
      const cells = [r.op, r.device, ms(upload), ms(kernels), ms(download), ms(upload + kernels + download)];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      tr.dataset.op = r.op;
      tr.dataset.device = r.device;
      return tr;
    }),
  );
}

function ms(v: number): string {
  return v.toFixed(1);
}
