/**
 * Which onnxruntime-node execution provider serves a request: the one asked for when this build of
 * onnxruntime-node can load it, otherwise cpu with the reason said in words.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ExecutionProviderName = 'cpu' | 'webgpu' | 'cuda' | 'tensorrt';
export const EXECUTION_PROVIDERS: readonly ExecutionProviderName[] = ['cpu', 'webgpu', 'cuda', 'tensorrt'];

export interface ProviderChoice {
  /** The execution provider that will serve (or serves) the sessions. */
  readonly name: ExecutionProviderName;
  /** The one asked for. */
  readonly requested: ExecutionProviderName;
  /** Why `name` differs from `requested`; absent when they are the same. */
  readonly fallbackReason?: string;
}

export interface SupportedBackend {
  readonly name: string;
  readonly bundled: boolean;
}

const PROVIDER_TITLE: Record<ExecutionProviderName, string> = {
  cpu: 'CPU',
  webgpu: 'WebGPU',
  cuda: 'CUDA',
  tensorrt: 'TensorRT',
};

/** The shared library of a provider that is not linked into the binding (found next to the binding). */
const PROVIDER_LIBRARY: Partial<Record<ExecutionProviderName, string>> = {
  cuda: 'onnxruntime_providers_cuda',
  tensorrt: 'onnxruntime_providers_tensorrt',
};

// import.meta.url: the ESM build and vitest have it; the CJS build gets tsup's shim (shims: true in tsup.config.ts)
const localRequire = createRequire(import.meta.url);

/** The absolute path of onnxruntime-node's entry, as the workers `require` it. */
export function resolveOrtPath(): string {
  return localRequire.resolve('onnxruntime-node');
}

interface OrtModule {
  listSupportedBackends(): SupportedBackend[];
  env: { versions: Record<string, string | undefined> };
}

let ortModule: OrtModule | undefined;
function ort(): OrtModule {
  ortModule ??= localRequire('onnxruntime-node') as OrtModule;
  return ortModule;
}

/** onnxruntime-node's version, e.g. '1.30.0'. */
export function ortVersion(): string {
  return ort().env.versions.node ?? ort().env.versions.common ?? 'unknown';
}

/** What this install of onnxruntime-node can use, as it says itself. */
export function listSupportedBackends(): SupportedBackend[] {
  return ort()
    .listSupportedBackends()
    .map((b) => ({ name: b.name, bundled: b.bundled }));
}

/** Whether the provider's shared library sits next to the native binding (a post-install download). */
function providerLibraryPresent(provider: ExecutionProviderName): boolean {
  const lib = PROVIDER_LIBRARY[provider];
  if (!lib) return false;
  try {
    const dir = join(dirname(dirname(resolveOrtPath())), 'bin', 'napi-v6', process.platform, process.arch);
    if (!existsSync(dir)) return false;
    return readdirSync(dir).some((f) => f.includes(lib));
  } catch {
    return false;
  }
}

function isProvider(name: string): name is ExecutionProviderName {
  return (EXECUTION_PROVIDERS as readonly string[]).includes(name);
}

/**
 * The execution provider for a request (`cpu` when none is asked for). An execution provider this
 * onnxruntime-node cannot load falls back to cpu with the reason, e.g.
 * "cuda: onnxruntime-node 1.30.0 ships no CUDA provider here (not bundled): using cpu".
 * A provider that is listed here may still fail when a session is created (no adapter, no driver):
 * the session pool then falls back to cpu with that error as the reason.
 */
export function chooseProvider(
  requested: string | undefined,
  supported: readonly SupportedBackend[] = listSupportedBackends(),
): ProviderChoice {
  const want = (requested ?? 'cpu').toLowerCase();
  const version = ortVersion();
  if (!isProvider(want)) {
    return {
      name: 'cpu',
      requested: 'cpu',
      fallbackReason: `${want}: not an execution provider Ocellus knows (${EXECUTION_PROVIDERS.join(', ')}): using cpu`,
    };
  }
  if (want === 'cpu') return { name: 'cpu', requested: 'cpu' };
  const entry = supported.find((b) => b.name === want);
  const where = `${process.platform}/${process.arch}`;
  if (!entry) {
    return {
      name: 'cpu',
      requested: want,
      fallbackReason:
        `${want}: onnxruntime-node ${version} has no ${PROVIDER_TITLE[want]} provider on ${where} (it ` +
        `supports ${supported.map((b) => b.name).join(', ')}): using cpu`,
    };
  }
  if (!entry.bundled && !providerLibraryPresent(want)) {
    return {
      name: 'cpu',
      requested: want,
      fallbackReason:
        `${want}: onnxruntime-node ${version} ships no ${PROVIDER_TITLE[want]} provider here (not bundled): ` +
        'using cpu',
    };
  }
  return { name: want, requested: want };
}

/** A session-creation error, shortened to the sentence that says what failed (no source paths). */
export function shortOrtError(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('at '));
  const first = lines[0] ?? message;
  // an opset newer than this onnxruntime knows: say that, and what to do
  const opset = /Opset (\d+) is under development.*support for domain ai\.onnx is till opset (\d+)/.exec(first);
  if (opset) {
    return (
      `the model declares ONNX opset ${opset[1]}, newer than this onnxruntime supports (up to ${opset[2]}): ` +
      `export it with opset ${opset[2]} or lower`
    );
  }
  // "/onnxruntime_src/.../webgpu_context.cc:136 ...::<lambda()> cond was false. Failed to get a WebGPU adapter: ..."
  const m = /^\/\S+:\d+ .*? was false\. (.*)$/.exec(first) ?? /^\/\S+:\d+ \S+ (.*)$/.exec(first);
  // "onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<...>&, ...) message": drop the C++
  // signature
  const signature = /^[\w:~<>]+::[\w~]+\([^()]*\) (.*)$/.exec(first);
  return (m ? m[1] : signature ? signature[1] : first).trim();
}

/** The execution provider that runs the model where the pre-processing runs: the selected core backend's twin. */
export function providerForBackend(backend: string): ExecutionProviderName {
  if (backend === 'webgpu') return 'webgpu';
  if (backend === 'cuda') return 'cuda';
  return 'cpu';
}
