/**
 * The detection stage against independent references: the input tensor against PaddleOCR's
 * DetResizeForTest + NormalizeImage done with cv2, the probability map of our session pool (worker
 * threads) against an onnxruntime-node session run directly on the same tensor (OpenCV 4.6's dnn
 * cannot read the model: opset-11 Clip), and the boxes against PaddleOCR's
 * DBPostProcess done with cv2 (findContours, minAreaRect, fillPoly) on the same map.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Device, openDevice, readImage } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrtSessionPool } from '../engine/session-pool.js';
import { defaultOcrModelPaths } from './assets.js';
import { textBoxes } from './db-postprocess.js';
import { detInputSize, detNormalize, detResizedPixels } from './det-input.js';
import { SHARED_IMAGES, ocrReference, openCVMissing, readFloat32 } from './test-reference.js';

// onnxruntime-node's own API, loaded as the engine loads it (CommonJS)
interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, unknown>>;
  release(): Promise<void>;
}
const ort = createRequire(import.meta.url)('onnxruntime-node') as {
  InferenceSession: { create(path: string): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
};

const missing = openCVMissing();
const note = missing ? ` [skipped: ${missing}]` : '';
const FILES = ['opencv_imageTextN.png', 'opencv_imageTextR.png', 'skimage_page.png'];

interface Reference {
  input: Float32Array;
  inputShape: number[];
  boxes: number[][][];
  scores: number[];
}

describe.skipIf(missing)(`PP-OCR detection stage against PaddleOCR's steps in OpenCV${note}`, () => {
  let device: Device;
  let pool: OrtSessionPool;
  let session: OrtSession;
  beforeAll(async () => {
    device = await openDevice('cpu', { discover: false });
    pool = await OrtSessionPool.create(defaultOcrModelPaths().detModel);
    session = await ort.InferenceSession.create(defaultOcrModelPaths().detModel);
  });
  afterAll(async () => {
    await session?.release();
    await pool?.dispose();
    await device?.close();
  });

  for (const file of FILES) {
    it(`gives the same input, map and boxes on ${file}`, async () => {
      using image = await readImage(device, resolve(SHARED_IMAGES, file), { mode: 'rgb' });
      const [h, w] = image.shape as [number, number, number];
      const rgb = (await image.data()) as Uint8Array;
      const size = detInputSize(h, w);
      const input = detNormalize(await detResizedPixels(image, size), size.height, size.width);
      const out = await pool.run({ x: { data: input.slice(), dims: [1, 3, size.height, size.width] } });
      const map = Object.values(out)[0]!;
      expect(map.dims).toEqual([1, 1, size.height, size.width]);

      const ref = ocrReference<Reference>(
        (dir) => {
          writeFileSync(join(dir, 'in.raw'), rgb);
          writeFileSync(join(dir, 'map.raw'), map.data);
          return [
            { op: 'det_input', input: join(dir, 'in.raw'), shape: [h, w, 3], output: join(dir, 'ref_in.raw') },
            { op: 'db', input: join(dir, 'map.raw'), shape: [size.height, size.width], src: [h, w] },
          ];
        },
        (r, dir) => {
          const [inp, db] = r as [{ shape: number[] }, { boxes: number[][][]; scores: number[] }];
          return {
            input: readFloat32(join(dir, 'ref_in.raw')),
            inputShape: inp.shape,
            boxes: db.boxes,
            scores: db.scores,
          };
        },
      );

      // input: bit for bit (core's bilinear resize is OpenCV's INTER_LINEAR; float32 arithmetic as numpy)
      expect(ref.inputShape).toEqual([3, size.height, size.width]);
      let inputOff = 0;
      for (let i = 0; i < input.length; i++) if (input[i] !== ref.input[i]) inputOff++;
      expect(inputOff).toBe(0);

      // map: the pool's answer is the session's answer
      const direct = await session.run({ x: new ort.Tensor('float32', input, [1, 3, size.height, size.width]) });
      const refMap = (Object.values(direct)[0] as { data: Float32Array }).data;
      let worst = 0;
      for (let i = 0; i < map.data.length; i++) worst = Math.max(worst, Math.abs(map.data[i]! - refMap[i]!));
      expect(worst).toBeLessThan(1e-5);

      // boxes: every reference box found, within a pixel per corner, with its score
      const ours = textBoxes(map.data, size.height, size.width, h, w);
      expect(ours.length).toBe(ref.boxes.length);
      for (const [k, box] of ref.boxes.entries()) {
        const match = ours.find((b) =>
          b.quad.every((p, i) => Math.abs(p[0] - box[i]![0]!) <= 1 && Math.abs(p[1] - box[i]![1]!) <= 1),
        );
        expect(match, `reference box ${JSON.stringify(box)}`).toBeDefined();
        // fillPoly's rasterisation of the box is approximated (edges within half a pixel of a row)
        expect(Math.abs(match!.score - ref.scores[k]!)).toBeLessThan(0.02);
      }
      console.log(
        `${file}: input ${size.width}x${size.height} identical, map max |diff| ${worst.toExponential(1)}, ` +
          `${ours.length} boxes match`,
      );
    });
  }
});
