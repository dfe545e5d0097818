import type { Device } from '@ocellus/core';
import type { LoadedModel, PipelineLifecycle } from '../engine/pipeline-support.js';
import type { ProviderChoice } from '../engine/providers.js';
import type { ImageInput, InferenceEngine, WeightsInfo } from '../types.js';

/**
 * What the single-model image pipelines (classifier, detector) share: the lifecycle of their model and
 * device, and the InferenceEngine methods that do not depend on the task. A subclass gives the
 * lifecycle, its square input size, and `runBatch`.
 */
export abstract class ModelPipeline<L extends LoadedModel & { readonly device: Device }, R>
  implements InferenceEngine<ImageInput, R>
{
  protected constructor(
    protected readonly life: PipelineLifecycle<L>,
    private readonly inputSize: number,
  ) {}

  abstract runBatch(inputs: readonly ImageInput[]): Promise<R[]>;

  /** Known after load(). */
  get weights(): WeightsInfo | undefined {
    return this.life.loaded?.weights;
  }

  /** The onnxruntime execution provider serving the sessions (with the fallback reason); after load(). */
  get provider(): ProviderChoice | undefined {
    return this.life.loaded?.pool.provider;
  }

  /** The core device preprocessing runs on; after load(). */
  get device(): Device | undefined {
    return this.life.loaded?.device;
  }

  load(): Promise<void> {
    return this.life.ready().then(() => undefined);
  }

  /** Runs the model on zeros (the model's fixed batch, else 1), so the first real call pays no start-up. */
  async warmup(runs = 1): Promise<void> {
    const { pool, signature } = await this.life.ready();
    const batch = signature.fixedBatch ?? 1;
    const size = this.inputSize;
    for (let i = 0; i < runs; i++) {
      await pool.run({
        [signature.inputName]: { data: new Float32Array(batch * 3 * size * size), dims: [batch, 3, size, size] },
      });
    }
  }

  async run(input: ImageInput): Promise<R> {
    const [result] = await this.runBatch([input]);
    return result as R;
  }

  dispose(): Promise<void> {
    return this.life.dispose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
