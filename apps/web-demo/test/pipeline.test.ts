import { openDevice } from '@ocellus/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OPS, benchmarkOp } from '../src/pipeline.js';

const image = {
  width: 40,
  height: 30,
  channels: 3,
  data: Uint8Array.from({ length: 40 * 30 * 3 }, (_, i) => (i * 7) & 0xff),
};
const device = await openDevice('cpu', { discover: false });
afterAll(() => device.close());

describe('the demo pipeline (on the CPU backend)', () => {
  for (const op of OPS) {
    it(`${op.name}: gives the op's output shape and times, and frees every tensor it made`, async () => {
      const r = await benchmarkOp(device, op, image, 2);
      const expected = { gray: [30, 40, 1], edges: [30, 40, 1], letterbox: [640, 640, 3] }[op.name];
      expect([r.pixels.height, r.pixels.width, r.pixels.channels]).toEqual(expected);
      expect(r.pixels.data.length).toBe(expected.reduce((a, b) => a * b));
      expect(r.device).toBe('cpu:0');
      for (const v of Object.values(r.timing)) expect(v).toBeGreaterThanOrEqual(0);
      expect(device.liveTensors).toBe(0);
    });
  }
});
