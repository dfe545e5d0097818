import { type DecodedImage, decodeImage } from '@ocellus/core';
import { type OcrResult, createOcr } from '@ocellus/models';
import { BACKEND_OPTION, maxPixelsOption, outputOption, parseCommand } from '../args.js';
import { reportSkipped } from '../device.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { type ImageError, forEachImage } from '../per-image.js';
import { pipelineBackend } from '../model-options.js';
import { writeAnnotatedPolygons } from './ocr-annotate.js';

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean', default: false },
  'no-cls': { type: 'boolean', default: false },
  'det-model': { type: 'string' },
  'rec-model': { type: 'string' },
  'cls-model': { type: 'string' },
  dict: { type: 'string' },
  ...BACKEND_OPTION,
} as const;

/** One entry of the documented `ocr --json` array. */
export interface OcrJson {
  image: string;
  lines: { text: string; confidence: number; polygon: [number, number][] }[];
}

/**
 * `ocellus ocr <images...> [--json] [-o annotated.png] [--no-cls]
 *  [--det-model f.onnx --rec-model f.onnx --cls-model f.onnx --dict keys.txt] [--backend spec]`
 * Default models: PaddleOCR's PP-OCRv4 (Chinese + English), installed with @ocellus/models.
 */
export async function ocrCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand('ocr', args, OPTIONS, {
    names: ['<image>'],
    required: 1,
    variadic: true,
  });
  const output = values.output === undefined ? undefined : outputOption('ocr', values.output);
  if (output !== undefined && positionals.length > 1) {
    throw new UsageError(`ocr: -o writes one annotated image: give one <image> with -o (got ${positionals.length})`);
  }
  if (values['no-cls'] && values['cls-model'] !== undefined) {
    throw new UsageError('ocr: --cls-model and --no-cls contradict each other: give one');
  }
  const maxPixels = maxPixelsOption('ocr', values['max-pixels']);
  const backend = await pipelineBackend('ocr', values.backend);
  const ocr = createOcr({
    backend,
    sessions: 1,
    maxPixels,
    useCls: !values['no-cls'],
    ...(values['det-model'] === undefined ? {} : { detModel: values['det-model'] }),
    ...(values['rec-model'] === undefined ? {} : { recModel: values['rec-model'] }),
    ...(values['cls-model'] === undefined ? {} : { clsModel: values['cls-model'] }),
    ...(values.dict === undefined ? {} : { dictionary: values.dict }),
  });
  try {
    await ocr.load();
    reportSkipped(ocr.device, io);
    const entries: (OcrJson | ImageError)[] = [];
    const failed = await forEachImage(
      positionals,
      io,
      async (image) => {
        // with -o the image is decoded here once, for the OCR and for the drawing alike
        const pixels: DecodedImage | undefined = output === undefined ? undefined : await decodeImage(image);
        const result = await ocr.run(pixels ?? image);
        const entry: OcrJson = {
          image,
          lines: result.lines.map((l) => ({
            text: l.text,
            confidence: l.confidence,
            polygon: l.polygon.map((p) => [p[0], p[1]] as [number, number]),
          })),
        };
        entries.push(entry);
        if (!values.json) io.stdout.write(formatOcr(entry, result));
        if (output !== undefined && pixels !== undefined) {
          await writeAnnotatedPolygons(
            output,
            pixels,
            entry.lines.map((l) => l.polygon),
          );
        }
      },
      (e) => entries.push(e),
    );
    if (values.json) io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    else if (output !== undefined && failed.length === 0) io.stdout.write(`\n${output}\n`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await ocr.dispose();
  }
}

/**
 * One block per image, the text in reading order:
 *   page.png (556x257): 13 lines
 *     0.991  technical details are too complex to cover in the book itself.
 */
export function formatOcr(entry: OcrJson, result: Pick<OcrResult, 'width' | 'height'>): string {
  const n = entry.lines.length;
  const lines = [`\n${entry.image} (${result.width}x${result.height}): ${n} line${n === 1 ? '' : 's'}`];
  for (const l of entry.lines) lines.push(`  ${l.confidence.toFixed(3)}  ${l.text}`);
  return `${lines.join('\n')}\n`;
}
