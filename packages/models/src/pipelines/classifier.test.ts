import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DisposedError, decodeImage } from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../architectures/index.js';
import { torchExport, torchMissing } from '../architectures/torchvision-reference.js';
import { ModelSignatureError } from '../engine/signature.js';
import { tinyClassifierModel } from '../engine/tiny-onnx.js';
import { IMAGENET_LABELS } from '../labels/imagenet.js';
import type { ClassificationResult } from '../types.js';
import { type Classifier, createClassifier } from './classifier.js';

// ../shared/images beside the repository (never copied into it)
const IMAGES = fileURLToPath(new URL('../../../../../shared/images', import.meta.url));
const photo = (f: string) => `${IMAGES}/${f}`;

function expectWellFormed(r: ClassificationResult, k: number, labels: (i: number) => string): void {
  expect(r.top).toHaveLength(k);
  let last = Number.POSITIVE_INFINITY;
  for (const c of r.top) {
    expect(Number.isInteger(c.index)).toBe(true);
    expect(c.label).toBe(labels(c.index));
    expect(c.score).toBeGreaterThan(0);
    expect(c.score).toBeLessThanOrEqual(1);
    expect(c.score).toBeLessThanOrEqual(last);
    last = c.score;
  }
  expect(new Set(r.top.map((c) => c.index)).size).toBe(k);
}

function expectSame(a: ClassificationResult, b: ClassificationResult): void {
  expect(a.top.map((c) => c.index)).toEqual(b.top.map((c) => c.index));
  a.top.forEach((c, i) => {
    expect(Math.abs(c.score - b.top[i].score)).toBeLessThan(1e-5);
  });
}

const imagenet = (i: number) => IMAGENET_LABELS[i];

describe('classifier: MobileNetV3 (architecture-only) on photos', () => {
  let classifier: Classifier;
  beforeAll(async () => {
    const { bytes } = await exportModel('mobilenetv3', { seed: 0 });
    classifier = createClassifier({ weights: bytes, backend: 'cpu', topK: 5 });
    await classifier.load();
    await classifier.warmup(1);
  });
  afterAll(async () => {
    await classifier?.dispose();
  });

  it('says where the weights came from, which model and which provider', () => {
    expect(classifier.weights).toEqual({
      kind: 'architecture-only',
      source: '<buffer>',
      seed: 0,
      note: expect.stringMatching(/^architecture-only: .*meaningless/),
    });
    expect(classifier.model).toBe('mobilenetv3'); // from the model's ocellus.model metadata
    expect(classifier.provider).toEqual({ name: 'cpu', requested: 'cpu' });
  });

  it('classifies a photo: top-5 ImageNet labels, probabilities in order, weights labelled', async () => {
    const r = await classifier.run(photo('grace_hopper.jpg'));
    expectWellFormed(r, 5, imagenet);
    expect(r.weights.kind).toBe('architecture-only');
    console.log(
      '[classifier] grace_hopper.jpg (architecture-only MobileNetV3): ' +
        `${r.top.map((c) => `${c.label} ${c.score.toFixed(4)}`).join(', ')}`,
    );
    expect(classifier.device?.liveTensors).toBe(0);
  });

  it('runBatch of 3 equals 3 runs within 1e-5, whatever form the images come in', async () => {
    const bytes = new Uint8Array(readFileSync(photo('skimage_chelsea.png')));
    const decoded = await decodeImage(photo('opencv_squirrel_cls.jpg'), { mode: 'rgb' });
    const inputs = [photo('grace_hopper.jpg'), bytes, decoded] as const;
    const batch = await classifier.runBatch(inputs);
    expect(batch).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      expectWellFormed(batch[i], 5, imagenet);
      expectSame(batch[i], await classifier.run(inputs[i]));
    }
    expect(await classifier.runBatch([])).toEqual([]);
    expect(classifier.device?.liveTensors).toBe(0);
  });
});

describe('classifier: ResNet-50 (architecture-only)', () => {
  it('loads and classifies a photo', async () => {
    const { bytes } = await exportModel('resnet50', { seed: 1 });
    const classifier = createClassifier({ weights: bytes, backend: 'cpu', topK: 3 });
    try {
      const r = await classifier.run(photo('skimage_coffee.png'));
      expectWellFormed(r, 3, imagenet);
      expect(r.weights).toMatchObject({ kind: 'architecture-only', seed: 1 });
      expect(classifier.model).toBe('resnet50');
    } finally {
      await classifier.dispose();
    }
  });
});

const torchReason = torchMissing();

describe('classifier: a model exported by torch.onnx.export (torchvision mobilenet_v3_large)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-torchvision-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(torchReason)(
    `runs through createClassifier as the user's own weights${torchReason ? ` (skipped: ${torchReason})` : ''}`,
    async () => {
      const path = join(dir, 'mobilenet_v3_large.onnx');
      torchExport('mobilenet_v3_large', 0, path);
      const classifier = createClassifier({ weights: path, backend: 'cpu', model: 'mobilenetv3' });
      try {
        await classifier.load();
        expect(classifier.weights).toEqual({ kind: 'user', source: path });
        expect(classifier.model).toBe('mobilenetv3');
        const files = [photo('grace_hopper.jpg'), photo('opencv_fruits.jpg')];
        const batch = await classifier.runBatch(files);
        for (let i = 0; i < files.length; i++) {
          expectWellFormed(batch[i], 5, imagenet);
          expectSame(batch[i], await classifier.run(files[i]));
        }
      } finally {
        await classifier.dispose();
      }
    },
  );
});

describe('classifier: labels, fixed batches, lifecycle (a stand-in model)', () => {
  it('refuses a model whose class count has no labels (not ImageNet, no names): no double softmax', async () => {
    const classifier = createClassifier({
      weights: tinyClassifierModel({ classes: 2 }),
      backend: 'cpu',
      threadsPerSession: 1,
    });
    try {
      await expect(classifier.load()).rejects.toThrow(ModelSignatureError);
      await expect(classifier.run(photo('grace_hopper.jpg'))).rejects.toThrow(
        /outputs 2 classes: not an ImageNet classifier \(1000 classes\) and it has no 'names' metadata/,
      );
    } finally {
      await classifier.dispose();
    }
    const wrong = createClassifier({
      weights: tinyClassifierModel({ classes: 10 }),
      labels: ['a', 'b'],
      threadsPerSession: 1,
    });
    await expect(wrong.load()).rejects.toThrow(/outputs 10 classes but 2 labels were given/);
    await wrong.dispose();
  });

  it('ignores the EXIF orientation by default, as torchvision (PIL) does; orientation: apply turns it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-exif-'));
    try {
      const plain = photo('dog.jpg');
      const tagged = join(dir, 'tagged.jpg');
      // the same JPEG with an EXIF APP1 segment after SOI: Orientation (0x0112) = 6, rotate 90 clockwise
      const exif = Buffer.from(
        'ffe10022457869660000' + '4d4d002a00000008' + '0001' + '011200030000000100060000' + '00000000',
        'hex',
      );
      const jpeg = readFileSync(plain);
      writeFileSync(tagged, Buffer.concat([jpeg.subarray(0, 2), exif, jpeg.subarray(2)]));
      const weights = tinyClassifierModel();
      const torchvisionLike = createClassifier({ weights, backend: 'cpu', threadsPerSession: 1 });
      const upright = createClassifier({ weights, backend: 'cpu', threadsPerSession: 1, orientation: 'apply' });
      try {
        expectSame(await torchvisionLike.run(tagged), await torchvisionLike.run(plain));
        const [a, b] = [await upright.run(tagged), await upright.run(plain)];
        expect(a.top.map((t) => t.score)).not.toEqual(b.top.map((t) => t.score));
      } finally {
        await Promise.all([torchvisionLike.dispose(), upright.dispose()]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes labels for a model of its own, and serves any batch on a fixed batch of 1', async () => {
    const labels = Array.from({ length: 10 }, (_, k) => `class ${k}`);
    const classifier = createClassifier({
      weights: tinyClassifierModel({ classes: 10, batch: 1 }),
      labels,
      backend: 'cpu',
      topK: 3,
      threadsPerSession: 1,
    });
    try {
      const files = ['grace_hopper.jpg', 'skimage_coffee.png', 'person.jpg', 'skimage_camera.png'].map(photo);
      const batch = await classifier.runBatch(files);
      expect(batch).toHaveLength(4);
      for (let i = 0; i < files.length; i++) {
        expectWellFormed(batch[i], 3, (k) => `class ${k}`);
        expect(batch[i].weights).toEqual({ kind: 'user', source: '<buffer>' });
        expectSame(batch[i], await classifier.run(files[i]));
      }
    } finally {
      await classifier.dispose();
    }
  });

  it('a disposed classifier refuses work with DisposedError; dispose is idempotent', async () => {
    const classifier = createClassifier({ weights: tinyClassifierModel(), backend: 'cpu', threadsPerSession: 1 });
    await classifier.load();
    const device = classifier.device;
    await classifier.dispose();
    await expect(classifier.run(photo('grace_hopper.jpg'))).rejects.toThrow(DisposedError);
    await expect(classifier.runBatch([photo('grace_hopper.jpg')])).rejects.toThrow(/classifier is disposed/);
    expect(() => device?.empty('uint8', [1])).toThrow(DisposedError);
    await classifier.dispose();
  });

  it('refuses bad options with the reason', () => {
    expect(() => createClassifier({ weights: tinyClassifierModel(), topK: 0 })).toThrow(
      /topK must be a positive integer/,
    );
    expect(() => createClassifier({} as never)).toThrow(/options.weights/);
  });
});
