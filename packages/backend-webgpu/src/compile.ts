/** WGSL to a compute pipeline, with the compiler's messages turned into a named error instead of a log line. */
import { WgslCompileError } from './errors.js';

export async function compileWgsl(
  device: GPUDevice,
  label: string,
  code: string,
  entryPoint: string,
): Promise<GPUComputePipeline> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label, code });
  const info = await module.getCompilationInfo();
  const pipeline = device.createComputePipeline({ label, layout: 'auto', compute: { module, entryPoint } });
  const scoped = await device.popErrorScope();
  const errors = info.messages
    .filter((m) => m.type === 'error')
    .map((m) => `  ${m.lineNum}:${m.linePos} error: ${m.message}`);
  if (errors.length || scoped) {
    const detail = errors.length ? errors.join('\n') : `  ${scoped!.message}`;
    throw new WgslCompileError(`${label}: the WGSL did not compile or validate:\n${detail}`);
  }
  return pipeline;
}
