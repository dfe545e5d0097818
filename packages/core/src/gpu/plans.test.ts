import { describe, expect, it } from 'vitest';
import type { TensorView } from '../backend/plugin.js';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import '../ops/index.js'; // registers the op set the plans are checked against
import { type GpuKernelName, type GpuRecorder, gpuGrid, gpuPlans, recordGpuOp } from './plans.js';

/** A recorder that writes down what a plan asks for, with buffers named after the tensors. */
function tape() {
  const calls: string[] = [];
  let temps = 0;
  const r: GpuRecorder<string> = {
    buffer: (t) => `t${t.shape.join('x')}`,
    dispatch: (k: GpuKernelName, params, buffers, n) => calls.push(`${k}(${buffers.join(',')}) n=${n} p0=${params[0]}`),
    copy: (s, d, bytes) => calls.push(`copy ${s}->${d} ${bytes}`),
    fill: (b, bytes, word) => calls.push(`fill ${b} ${bytes} ${word}`),
    temp: (bytes) => `tmp${temps++}:${bytes}`,
  };
  return { r, calls };
}

const view = (shape: number[], dtype: TensorView['dtype'] = 'uint8'): TensorView => {
  const size = shape.reduce((a, b) => a * b, 1);
  return { buffer: { byteLength: size * 4 }, dtype, shape, size } as unknown as TensorView;
};

describe('GPU plans (shared by the GPU backends)', () => {
  it('splits invocations into workgroups of 64 on a 2D grid within the per-dimension limit', () => {
    expect(gpuGrid(1, 65535)).toEqual([1, 1]);
    expect(gpuGrid(64 * 65535, 65535)).toEqual([65535, 1]);
    expect(gpuGrid(64 * 65535 + 1, 65535)).toEqual([65535, 2]);
    expect(gpuGrid(1000, 4)).toEqual([4, 4]); // 16 groups
  });

  it("records Canny with the backend's not-an-edge word and scratch maps, and a 5x5 blur through a temp", () => {
    for (const notEdge of [0, 1]) {
      const { r, calls } = tape();
      recordGpuOp(
        gpuPlans({ cannyNotEdge: notEdge }),
        'test',
        r,
        'canny',
        [view([4, 6, 1])],
        [view([4, 6, 1])],
        { low: 10, high: 20, l2: false },
        () => {},
      );
      expect(calls[0]).toBe(`fill tmp0:${6 * 8 * 4} ${6 * 8 * 4} ${notEdge}`);
      expect(calls.slice(2).map((c) => c.split('(')[0])).toEqual([
        'canny_nms',
        'canny_hyst',
        'canny_finish',
        'canny_out',
      ]);
    }
    const { r, calls } = tape();
    recordGpuOp(
      gpuPlans({ cannyNotEdge: 0 }),
      'test',
      r,
      'gaussianBlur',
      [view([4, 6, 3])],
      [view([4, 6, 3])],
      { ksize: 5, sigma: 0 },
      () => {},
    );
    expect(calls).toEqual([`blur_h(t4x6x3,tmp0:${72 * 4}) n=72 p0=72`, 'blur_v(tmp0:288,t4x6x3) n=18 p0=72']);
  });

  it('refuses an op without a plan, a wrong output, and always gives the scratch buffers back', () => {
    const plans = gpuPlans({ cannyNotEdge: 0 });
    const { r } = tape();
    let done = 0;
    expect(() => recordGpuOp(plans, 'Toy', r, 'nonesuch', [], [], {}, () => done++)).toThrow(UnsupportedOpError);
    expect(() => recordGpuOp(plans, 'Toy', r, 'nonesuch', [], [], {}, () => done++)).toThrow(
      "the Toy backend has no kernel for 'nonesuch'",
    );
    expect(() =>
      recordGpuOp(plans, 'Toy', r, 'grayscale', [view([4, 6, 3])], [view([4, 6, 3])], {}, () => done++),
    ).toThrow(ShapeError);
    expect(() =>
      recordGpuOp(plans, 'Toy', r, 'grayscale', [view([4, 6, 3])], [view([4, 6, 1], 'float32')], {}, () => done++),
    ).toThrow(DTypeError);
    expect(done).toBe(0); // nothing was recorded, so nothing to give back
    const failing: GpuRecorder<string> = {
      ...r,
      dispatch: () => {
        throw new Error('device lost');
      },
    };
    expect(() =>
      recordGpuOp(
        plans,
        'Toy',
        failing,
        'grayscale',
        [view([4, 6, 3])],
        [view([4, 6, 1])],
        { order: 'rgb' },
        () => done++,
      ),
    ).toThrow('device lost');
    expect(done).toBe(1);
  });
});
