import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '@ocellus/core';
import { COCO_LABELS } from '@ocellus/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotate, classColor } from '../annotate.js';
import { ARCHITECTURE_ONLY_WARNING } from '../model-options.js';
import { IMAGES, cleanTempDirs, run, tempDir } from '../test-io.js';
import { type DetectJson, classesOption } from './detect.js';

const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url));
const PERSON = join(IMAGES, 'person.jpg');
const DOG = join(IMAGES, 'dog.jpg');

// YOLOv8s takes ~0.3-0.5 s per image on 2 cores: the model is exported once, by the CLI itself, and
// most tests pass it with --weights (the file says it is architecture-only, so outputs still say so).
let dir: string;
let yolo: string;
beforeAll(async () => {
  dir = await tempDir();
  yolo = join(dir, 'yolov8s.onnx');
  const r = await run('export', 'yolov8s', '-o', yolo);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(cleanTempDirs);

async function size(path: string): Promise<[number, number]> {
  const img = await decodeImage(path);
  return [img.width, img.height];
}

function checkEntry(entry: DetectJson, image: string, [w, h]: [number, number]): void {
  expect(Object.keys(entry).sort()).toEqual(['detections', 'image', 'weights']);
  expect(entry.image).toBe(image);
  for (const d of entry.detections) {
    expect(Object.keys(d).sort()).toEqual(['box', 'classIndex', 'label', 'score']);
    expect(Number.isInteger(d.classIndex) && d.classIndex >= 0 && d.classIndex < 80).toBe(true);
    expect(d.label).toBe(COCO_LABELS[d.classIndex]);
    expect(d.score).toBeGreaterThan(0);
    expect(d.score).toBeLessThanOrEqual(1);
    const [x1, y1, x2, y2] = d.box;
    expect(d.box).toHaveLength(4);
    expect(0 <= x1 && x1 <= x2 && x2 <= w).toBe(true);
    expect(0 <= y1 && y1 <= y2 && y2 <= h).toBe(true);
  }
  const scores = entry.detections.map((d) => d.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

describe('ocellus detect', () => {
  it('--architecture-only: the documented JSON, boxes inside the image, the weights labelled', async () => {
    const r = await run('detect', PERSON, '--architecture-only', '--conf', '0.01', '--json', '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('ocellus: warning: architecture-only weights: predictions are meaningless\n');
    const [entry, ...rest] = JSON.parse(r.stdout) as DetectJson[];
    expect(rest).toEqual([]);
    checkEntry(entry!, PERSON, await size(PERSON));
    expect(entry!.detections.length).toBeGreaterThan(0);
    expect(entry!.weights).toMatchObject({ kind: 'architecture-only', seed: 0 });
  });

  const annotateTitle =
    '-o draws the labelled boxes on a copy of the image, the same size, with the architecture-only banner';
  it(annotateTitle, async () => {
    const out = join(dir, 'annotated.png');
    const r = await run('detect', DOG, '--weights', yolo, '--conf', '0.5', '-o', out, '--json', '--backend', 'cpu');
    expect(r.code).toBe(0);
    const [entry] = JSON.parse(r.stdout) as DetectJson[];
    expect(entry!.weights).toMatchObject({ kind: 'architecture-only', source: yolo });
    const original = await decodeImage(DOG);
    const annotated = await decodeImage(out);
    expect([annotated.width, annotated.height, annotated.channels]).toEqual([original.width, original.height, 3]);
    const px = (img: typeof original, x: number, y: number) => [
      ...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3),
    ];
    expect(entry!.detections.length).toBeGreaterThan(0);
    // Exactly the boxes of the JSON drawn on the original pixels (PNG is lossless).
    const expected = annotate(original, entry!.detections, { banner: ARCHITECTURE_ONLY_WARNING });
    expect(Buffer.from(annotated.data).equals(Buffer.from(expected.data))).toBe(true);
    // Drawn on top, the most confident box shows its class colour on its left edge, where the photo did not have it.
    const first = entry!.detections[0]!;
    const x = Math.min(original.width - 1, Math.max(0, Math.round(first.box[0])));
    const y = Math.min(original.height - 1, Math.max(0, Math.round((first.box[1] + first.box[3]) / 2)));
    expect(px(annotated, x, y)).toEqual([...classColor(first.classIndex)]);
    expect(px(original, x, y)).not.toEqual([...classColor(first.classIndex)]);
    // The banner: the bottom row is black, as the architecture-only warning is written there.
    expect(px(annotated, 0, original.height - 1)).toEqual([0, 0, 0]);
    expect((await readdir(dir)).sort()).toEqual(['annotated.png', 'yolov8s.onnx']);
  });

  it('prints one block per image and keeps only --classes', async () => {
    const r = await run(
      'detect',
      PERSON,
      DOG,
      '--weights',
      yolo,
      '--conf',
      '0.01',
      '--classes',
      'person,2',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^weights: ARCHITECTURE-ONLY \(.*yolov8s\.onnx, seed 0\): predictions are meaningless$/);
    expect(lines.filter((l) => /^\/.*\.jpg \(\d+x\d+\): \d+ detections?$/.test(l))).toHaveLength(2);
    for (const l of lines.filter((x) => x.startsWith('  ')))
      expect(l).toMatch(/^ {2}(person|car) +0\.\d{3} {2}\[[\d., ]+\]$/);
  });

  it('a classification model given to detect exits 1 with the signature message', async () => {
    const model = join(dir, 'mnv3.onnx');
    expect((await run('export', 'mobilenetv3', '-o', model)).code).toBe(0);
    const r = await run('detect', PERSON, '--weights', model, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mnv3.onnx');
    expect(r.stderr).toMatch(/does not fit the detection pipeline/);
  });

  it('without --weights exits 2 and explains the Ultralytics export', async () => {
    const r = await run('detect', PERSON, '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('yolo export model=yolov8s.pt format=onnx');
    expect(r.stderr).toContain('--architecture-only');
  });

  it.each([
    [['detect', 'a.jpg', 'b.jpg', '--architecture-only', '-o', 'x.png'], '-o writes one annotated image'],
    [['detect', 'a.jpg', '--architecture-only', '-o', 'x.gif'], 'cannot tell the image format'],
    [['detect', 'a.jpg', '--architecture-only', '--conf', '2'], '--conf must be at most 1'],
    [['detect', 'a.jpg', '--architecture-only', '--iou', 'x'], '--iou must be a number'],
    [['detect', 'a.jpg', '--architecture-only', '--classes', 'unicorn'], "'unicorn' is neither"],
    [['detect', 'a.jpg', '--architecture-only', '--classes', '999'], '999 is not a COCO class index (0 to 79)'],
    [['detect', 'a.jpg', '--architecture-only', '--model', 'resnet50'], 'ocellus classify'],
  ])('%j exits 2: %s', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--classes takes indices and COCO names', () => {
    expect(classesOption('0, 2,dog,Traffic Light')).toEqual([0, 2, 16, 9]);
  });

  it('runs from dist/bin.cjs with -o: exit 0, the image written', async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build it first (npx tsup)`);
    const r = spawnSync(
      process.execPath,
      [BIN, 'detect', PERSON, '--weights', yolo, '--conf', '0.05', '-o', 'boxes.jpg', '--backend', 'cpu'],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('boxes.jpg');
    expect(await size(join(dir, 'boxes.jpg'))).toEqual(await size(PERSON));
  });
});
