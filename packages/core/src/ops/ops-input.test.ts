import { describe, expect, it } from 'vitest';
import {
  AttributeError,
  DTypeError,
  ShapeError,
  UnknownOpError,
  canny,
  centerCrop,
  gaussianBlur,
  grayscale,
  letterbox,
  listOps,
  normalize,
  openDevice,
  resize,
  sobel,
} from '../index.js';

describe('op calls with bad input get named errors and leak nothing', async () => {
  const d = await openDevice('cpu', { discover: false });
  const rgb = d.tensor(new Uint8Array(4 * 6 * 3), [4, 6, 3]);
  const gray = d.tensor(new Uint8Array(4 * 6), [4, 6, 1]);

  const cases: [string, () => unknown, RegExp, new (...a: never[]) => Error][] = [
    [
      'wrong dtype',
      () => grayscale(d.empty('float32', [4, 6, 3])),
      /grayscale: input 'image' must be uint8, got float32/,
      DTypeError,
    ],
    [
      'wrong rank',
      () => grayscale(d.empty('uint8', [4, 6])),
      /must have rank 3 \(HWC image\), got shape \[4,6\]/,
      ShapeError,
    ],
    [
      'wrong channels',
      () => canny(rgb),
      /canny: input 'image' must have 1 channel\(s\).*use grayscale first.*\[4,6,3\]/,
      ShapeError,
    ],
    [
      '0x0 image',
      () => grayscale(d.empty('uint8', [0, 0, 3])),
      /input 'image' is empty \(shape \[0,0,3\]\)/,
      ShapeError,
    ],
    ['missing attribute', () => resize(rgb, {} as never), /resize: attribute 'width' is required/, AttributeError],
    [
      'unknown attribute',
      () => canny(gray, { lowThreshold: 3 } as never),
      /canny: unknown attribute 'lowThreshold'; it takes low, high, l2, aperture/,
      AttributeError,
    ],
    [
      'wrong attribute type',
      () => canny(gray, { l2: 'yes' } as never),
      /attribute 'l2' must be true or false, got "yes"/,
      AttributeError,
    ],
    ['even kernel', () => gaussianBlur(rgb, { ksize: 4 }), /attribute 'ksize' must be odd, got 4/, AttributeError],
    [
      'out of range',
      () => resize(rgb, { width: 0, height: 5 }),
      /attribute 'width' must be >= 1, got 0/,
      AttributeError,
    ],
    [
      'enum',
      () => resize(rgb, { width: 2, height: 2, interpolation: 'cubic' as never }),
      /must be one of nearest, bilinear, bilinear-antialias, got "cubic"/,
      AttributeError,
    ],
    ['sobel orders', () => sobel(gray, { dx: 0, dy: 0 }), /dx \+ dy must be 1 or 2/, ShapeError],
    [
      'mean length',
      () => normalize(rgb, { mean: [1, 2] }),
      /'mean' needs 1 or 3 values for a 3-channel image, got 2/,
      AttributeError,
    ],
    ['zero std', () => normalize(rgb, { std: [0] }), /'std' must not contain 0/, AttributeError],
    [
      'NaN attribute',
      () => letterbox(rgb, { width: Number.NaN }),
      /attribute 'width' must be an integer, got NaN/,
      AttributeError,
    ],
    [
      'letterbox degenerate',
      () => letterbox(d.empty('uint8', [1, 5000, 3])),
      /a 5000x1 image scaled by 0.128 into 640x640 leaves a side of 0 pixels/,
      ShapeError,
    ],
    [
      'crop size',
      () => centerCrop(rgb, { width: 2.5, height: 2 }),
      /attribute 'width' must be an integer/,
      AttributeError,
    ],
    [
      'unknown op',
      () => d.run('sharpen', [rgb]),
      /unknown op 'sharpen': the op set has canny, centerCrop/,
      UnknownOpError,
    ],
    ['input count', () => d.run('grayscale', [rgb, rgb]), /grayscale: takes 1 input\(s\), got 2/, ShapeError],
  ];

  for (const [name, call, message, type] of cases) {
    it(name, () => {
      const before = d.liveTensors;
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(message);
      // 'wrong dtype' and friends allocate their bad input themselves: dispose every extra tensor but ours
      expect(d.liveTensors - before).toBeLessThanOrEqual(1);
      expect(d.memory().kernelRuns).toBe(0);
    });
  }

  it('describes every op of the op set as data', () => {
    const names = listOps()
      .map((o) => o.name)
      .sort();
    expect(names).toEqual([
      'canny',
      'centerCrop',
      'gaussianBlur',
      'grayscale',
      'letterbox',
      'normalize',
      'resize',
      'sobel',
      'swapRB',
    ]);
    for (const op of listOps()) {
      expect(op.doc.length).toBeGreaterThan(10);
      expect(op.inputs.length).toBeGreaterThan(0);
      for (const spec of Object.values(op.attrs) as { doc: string }[]) expect(spec.doc.length).toBeGreaterThan(2);
    }
  });
});
