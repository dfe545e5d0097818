/**
 * The checks of `ocellus doctor`: each one a small function that looks at one thing and returns a
 * CheckResult. Child processes run with a short timeout and are killed past it, and every check is raced
 * against its own deadline, so the doctor never hangs on a wedged driver.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendStatuses } from '@ocellus/core';
import {
  compareVersions,
  cudaCompatibility,
  parseHipccVersion,
  parseLdconfigVulkan,
  parseNvccVersion,
  parseNvidiaSmiDriver,
  parseProcNvidiaVersion,
  parseVersion,
  parseVulkaninfoSummary,
} from './parse.js';

export type CheckStatus = 'ok' | 'missing' | 'warn';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** The command (or step) that fixes a 'missing' or 'warn' result. */
  fix?: string;
}

export interface Check {
  readonly name: string;
  run(): Promise<CheckResult>;
}

export interface ExecResult {
  /** Exit code; null when the command could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** 'not-found' (ENOENT), 'timeout', or another start error's message. */
  error?: string;
}

export const COMMAND_TIMEOUT_MS = 5_000;

/** Runs a command without a shell, killed (SIGKILL) after `timeoutMs`. Never rejects. */
export function exec(
  file: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      {
        timeout: options.timeoutMs ?? COMMAND_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
        env: options.env ?? process.env,
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        if (!e) return resolve({ code: 0, stdout, stderr });
        if (e.code === 'ENOENT') return resolve({ code: null, stdout, stderr, error: 'not-found' });
        if (e.killed) return resolve({ code: null, stdout, stderr, error: 'timeout' });
        resolve({
          code: typeof e.code === 'number' ? e.code : null,
          stdout,
          stderr,
          ...(typeof e.code === 'number' ? {} : { error: e.message }),
        });
      },
    );
  });
}

/** Runs `check` with a deadline: a check that throws or overruns becomes a 'warn' line saying so. */
export async function runCheck(check: Check, timeoutMs = 15_000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ name: check.name, status: 'warn', detail: `no answer within ${timeoutMs / 1000} s: skipped` }),
      timeoutMs,
    );
    timer.unref?.();
  });
  try {
    return await Promise.race([
      check.run().catch((err: unknown) => ({
        name: check.name,
        status: 'warn' as const,
        detail: `check failed: ${err instanceof Error ? err.message : String(err)}`,
      })),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

// ---------------------------------------------------------------------------------------------------
// Node, pnpm, onnxruntime-node

export const MIN_NODE_MAJOR = 20;

export function nodeCheck(version = process.versions.node): Check {
  return {
    name: 'node',
    run: async () => {
      const major = parseVersion(version)?.[0] ?? 0;
      return major >= MIN_NODE_MAJOR
        ? { name: 'node', status: 'ok', detail: `v${version} (>= ${MIN_NODE_MAJOR})` }
        : {
            name: 'node',
            status: 'warn',
            detail: `v${version}: Ocellus needs Node >= ${MIN_NODE_MAJOR}`,
            fix: 'install Node 20 or newer (https://nodejs.org, or nvm install 20)',
          };
    },
  };
}

export const PNPM_VERSION = '12.21.0';

export function pnpmCheck(): Check {
  const fix = `npm install -g pnpm@${PNPM_VERSION}`;
  return {
    name: 'pnpm',
    run: async () => {
      const r = await exec('pnpm', ['--version']);
      const version = r.code === 0 ? firstLine(r.stdout) : '';
      if (!parseVersion(version)) {
        return {
          name: 'pnpm',
          status: 'missing',
          detail: r.error === 'not-found' ? 'not on PATH' : `pnpm --version failed: ${r.error ?? firstLine(r.stderr)}`,
          fix,
        };
      }
      if (compareVersions(version, PNPM_VERSION) !== 0 && parseVersion(version)![0] < 12) {
        return {
          name: 'pnpm',
          status: 'warn',
          detail: `${version}: the workspace is set up for pnpm ${PNPM_VERSION}`,
          fix,
        };
      }
      return { name: 'pnpm', status: 'ok', detail: version };
    },
  };
}

interface OrtModule {
  env?: { versions?: Record<string, string | undefined> };
  listSupportedBackends?: () => { name: string; bundled: boolean }[];
}

/** onnxruntime-node as @ocellus/models loads it (its dependency, resolved from the models package). */
export function onnxruntimeCheck(): Check {
  const fix =
    'ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0 (the postinstall only downloads CUDA libraries)';
  return {
    name: 'onnxruntime',
    run: async () => {
      let ort: OrtModule;
      try {
        const here = createRequire(import.meta.url);
        const fromModels = createRequire(here.resolve('@ocellus/models'));
        ort = fromModels('onnxruntime-node') as OrtModule;
      } catch (err) {
        return {
          name: 'onnxruntime',
          status: 'missing',
          detail: `onnxruntime-node does not load: ${firstLine(err instanceof Error ? err.message : String(err))}`,
          fix,
        };
      }
      const version = ort.env?.versions?.node ?? ort.env?.versions?.common ?? 'unknown version';
      const providers = ort.listSupportedBackends?.() ?? [];
      const list = providers.map((p) => `${p.name}${p.bundled ? '' : ' (not bundled)'}`).join(', ');
      return {
        name: 'onnxruntime',
        status: 'ok',
        detail: `onnxruntime-node ${version}; execution providers: ${list || 'none listed'}`,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Vulkan

const VULKAN_LOADER_PATHS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
  '/usr/local/lib/libvulkan.so.1',
];
export const VULKAN_FIX = 'apt-get install -y libvulkan1 mesa-vulkan-drivers';

/** The Vulkan loader, found without loading it: `ldconfig -p`, then the usual library paths. */
export function vulkanLoaderCheck(): Check {
  return {
    name: 'vulkan-loader',
    run: async () => {
      const r = await exec('ldconfig', ['-p']);
      const found =
        (r.code === 0 ? parseLdconfigVulkan(r.stdout) : undefined) ?? VULKAN_LOADER_PATHS.find((p) => existsSync(p));
      return found
        ? { name: 'vulkan-loader', status: 'ok', detail: `libvulkan.so.1 at ${found}` }
        : {
            name: 'vulkan-loader',
            status: 'missing',
            detail: 'libvulkan.so.1 not found (ldconfig -p, /usr/lib)',
            fix: VULKAN_FIX,
          };
    },
  };
}

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/** Vulkan drivers (ICDs): the manifests in the standard directories and those the environment adds. */
export function vulkanIcdCheck(env: NodeJS.ProcessEnv = process.env): Check {
  return {
    name: 'vulkan-icd',
    run: async () => {
      const manifests: string[] = [];
      for (const dir of ICD_DIRS) {
        try {
          for (const f of readdirSync(dir)) if (f.endsWith('.json')) manifests.push(f);
        } catch {
          // not there
        }
      }
      const extra = [env.VK_ICD_FILENAMES, env.VK_DRIVER_FILES, env.VK_ADD_DRIVER_FILES]
        .filter((v): v is string => !!v)
        .flatMap((v) => v.split(':'))
        .filter((f) => f !== '');
      const missingExtra = extra.filter((f) => !existsSync(f));
      const names = [...manifests, ...extra.filter((f) => existsSync(f)).map((f) => `${f} (from the environment)`)];
      if (names.length === 0)
        return {
          name: 'vulkan-icd',
          status: 'missing',
          detail: `no driver manifests in ${ICD_DIRS[0]}`,
          fix: VULKAN_FIX,
        };
      const detail = `${names.length} driver manifest${names.length === 1 ? '' : 's'}: ${names.join(', ')}`;
      if (missingExtra.length)
        return {
          name: 'vulkan-icd',
          status: 'warn',
          detail: `${detail}; the environment names missing files: ${missingExtra.join(', ')}`,
        };
      return { name: 'vulkan-icd', status: 'ok', detail };
    },
  };
}

/** The devices the Vulkan backend package reports (core's backendStatuses, after discovery). */
export function vulkanDevicesCheck(): Check {
  return {
    name: 'vulkan-devices',
    run: async () => {
      const statuses = await backendStatuses();
      const entry = statuses.find((s) => s.backend === 'vulkan' || s.backend === '@ocellus/backend-vulkan');
      if (!entry || entry.reason?.startsWith('not installed')) {
        return {
          name: 'vulkan-devices',
          status: 'missing',
          detail: 'the Vulkan backend is not installed',
          fix: 'npm install @ocellus/backend-vulkan',
        };
      }
      if (!entry.available) {
        return {
          name: 'vulkan-devices',
          status: 'missing',
          detail: `@ocellus/backend-vulkan: ${entry.reason?.replace(/\s*\n\s*/g, ' ') ?? 'no devices'}`,
          fix: VULKAN_FIX,
        };
      }
      const list = entry.devices.map((d) => `vulkan:${d.index} ${d.name} (${d.type})`).join(', ');
      if (entry.devices.every((d) => d.type === 'cpu')) {
        return {
          name: 'vulkan-devices',
          status: 'warn',
          detail:
            `${list}: CPU emulation only (correct, not fast); --backend auto prefers the cpu backend, ` +
            '--backend vulkan selects it',
          fix: 'for a GPU: its Vulkan driver (AMD/Intel: mesa-vulkan-drivers; NVIDIA: the proprietary driver)',
        };
      }
      return { name: 'vulkan-devices', status: 'ok', detail: list };
    },
  };
}

/** `vulkaninfo --summary`, when vulkan-tools is installed: the loader's own view of the devices. */
export function vulkaninfoCheck(): Check {
  return {
    name: 'vulkaninfo',
    run: async () => {
      // vulkaninfo complains on stderr without XDG_RUNTIME_DIR; an empty temp dir silences it.
      const runtime = mkdtempSync(join(tmpdir(), 'ocellus-doctor-'));
      try {
        const r = await exec('vulkaninfo', ['--summary'], {
          timeoutMs: 10_000,
          env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? runtime },
        });
        if (r.error === 'not-found')
          return {
            name: 'vulkaninfo',
            status: 'missing',
            detail: 'vulkaninfo not on PATH (optional)',
            fix: 'apt-get install -y vulkan-tools',
          };
        if (r.error === 'timeout')
          return { name: 'vulkaninfo', status: 'warn', detail: 'vulkaninfo --summary did not finish in 10 s' };
        const devices = parseVulkaninfoSummary(r.stdout);
        const instance = /Vulkan Instance Version:\s*(\S+)/.exec(r.stdout)?.[1];
        if (r.code !== 0 || devices.length === 0) {
          return {
            name: 'vulkaninfo',
            status: 'warn',
            detail:
              `vulkaninfo --summary found no device (exit ${r.code}): ` +
              `${firstLine(r.stderr) || firstLine(r.stdout)}`,
            fix: VULKAN_FIX,
          };
        }
        return {
          name: 'vulkaninfo',
          status: 'ok',
          detail: `instance ${instance ?? '?'}; ${devices.map((d) => `${d.name} (${d.type})`).join(', ')}`,
        };
      } finally {
        rmSync(runtime, { recursive: true, force: true });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// WebGPU (Dawn)

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Dawn for Node is the npm `webgpu` package. When it resolves, a child process asks it for an adapter
 * (a wedged driver kills the child, not the doctor).
 */
export function webgpuCheck(): Check {
  const swiftshader = existsSync(SWIFTSHADER_ICD)
    ? `SwiftShader ICD at ${SWIFTSHADER_ICD} (export VK_ADD_DRIVER_FILES=${SWIFTSHADER_ICD} for a CPU adapter)`
    : "no SwiftShader ICD (a CPU adapter for Dawn: Debian's chromium-common)";
  const swiftFix = existsSync(SWIFTSHADER_ICD)
    ? ''
    : `; for a CPU adapter: apt-get install -y chromium-common and export VK_ADD_DRIVER_FILES=${SWIFTSHADER_ICD}`;
  return {
    name: 'webgpu',
    run: async () => {
      let entry: string | undefined;
      for (const base of [process.cwd(), import.meta.url]) {
        try {
          entry = createRequire(base.startsWith('file:') ? base : join(base, 'noop.js')).resolve('webgpu');
          break;
        } catch {
          // try the next place
        }
      }
      if (!entry)
        return {
          name: 'webgpu',
          status: 'missing',
          detail: `npm package 'webgpu' (Dawn for Node) not found; ${swiftshader}`,
          fix: `npm install webgpu${swiftFix}`,
        };
      const script = `const { create, globals } = require(${JSON.stringify(entry)}); Object.assign(globalThis, globals);
        const gpu = create([]); gpu.requestAdapter().then(async (a) => {
          if (!a) { console.log('NO_ADAPTER'); process.exit(0); }
          const info = a.info ?? (a.requestAdapterInfo ? await a.requestAdapterInfo() : {});
          const parts = [info.vendor, info.architecture, info.device, info.description];
          console.log('ADAPTER ' + parts.filter(Boolean).join(' / '));
          process.exit(0);
        }, (e) => { console.log('ERROR ' + e.message); process.exit(0); });`;
      const r = await exec(process.execPath, ['-e', script], { timeoutMs: 10_000 });
      const out = r.stdout.trim();
      if (out.startsWith('ADAPTER'))
        return { name: 'webgpu', status: 'ok', detail: `Dawn adapter: ${out.slice(8) || 'unnamed'}; ${swiftshader}` };
      const why = r.error === 'timeout' ? 'no answer in 10 s' : out || firstLine(r.stderr) || `exit ${r.code}`;
      return {
        name: 'webgpu',
        status: 'warn',
        detail: `'webgpu' at ${entry} gave no adapter (${why}); ${swiftshader}`,
        fix: `a Vulkan driver for Dawn${swiftFix}`,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// CUDA

export const CUDA_TOOLKIT_FIX =
  'install the CUDA toolkit (https://developer.nvidia.com/cuda-downloads) or apt-get install -y nvidia-cuda-toolkit';

/** The toolkit's nvcc: on PATH, else /usr/local/cuda/bin/nvcc. Its release is used by the compatibility check. */
export async function findNvcc(): Promise<{ path: string; release: string; full: string } | undefined> {
  for (const path of ['nvcc', '/usr/local/cuda/bin/nvcc']) {
    const r = await exec(path, ['--version']);
    const v = r.code === 0 ? parseNvccVersion(r.stdout) : undefined;
    if (v) return { path, ...v };
  }
  return undefined;
}

/** The NVIDIA driver: nvidia-smi, else the kernel module's /proc file. */
export async function findNvidiaDriver(): Promise<{ version: string; source: string } | undefined> {
  const r = await exec('nvidia-smi', ['--query-gpu=driver_version', '--format=csv,noheader']);
  const fromSmi = r.code === 0 ? parseNvidiaSmiDriver(r.stdout) : undefined;
  if (fromSmi) return { version: fromSmi, source: 'nvidia-smi' };
  try {
    const v = parseProcNvidiaVersion(readFileSync('/proc/driver/nvidia/version', 'utf8'));
    if (v) return { version: v, source: '/proc/driver/nvidia/version' };
  } catch {
    // no kernel module
  }
  return undefined;
}

export function nvccCheck(nvcc: Promise<Awaited<ReturnType<typeof findNvcc>>>): Check {
  return {
    name: 'cuda-toolkit',
    run: async () => {
      const found = await nvcc;
      return found
        ? {
            name: 'cuda-toolkit',
            status: 'ok',
            detail:
              `nvcc ${found.full} (CUDA ${found.release}) ` +
              `${found.path === 'nvcc' ? 'on PATH' : `at ${found.path}`}`,
          }
        : {
            name: 'cuda-toolkit',
            status: 'missing',
            detail: 'nvcc not on PATH nor in /usr/local/cuda/bin',
            fix: CUDA_TOOLKIT_FIX,
          };
    },
  };
}

export function nvidiaDriverCheck(driver: Promise<Awaited<ReturnType<typeof findNvidiaDriver>>>): Check {
  return {
    name: 'nvidia-driver',
    run: async () => {
      const found = await driver;
      return found
        ? { name: 'nvidia-driver', status: 'ok', detail: `${found.version} (${found.source})` }
        : {
            name: 'nvidia-driver',
            status: 'missing',
            detail: 'no NVIDIA driver (no nvidia-smi, no /proc/driver/nvidia/version)',
            fix:
              'on a machine with an NVIDIA GPU: install its driver (https://www.nvidia.com/drivers; Debian: ' +
              'apt-get install -y nvidia-driver from non-free)',
          };
    },
  };
}

export function cudaCompatibilityCheck(
  nvcc: Promise<Awaited<ReturnType<typeof findNvcc>>>,
  driver: Promise<Awaited<ReturnType<typeof findNvidiaDriver>>>,
): Check {
  return {
    name: 'cuda-compat',
    run: async () => {
      const [toolkit, drv] = await Promise.all([nvcc, driver]);
      if (!toolkit) {
        return drv
          ? {
              name: 'cuda-compat',
              status: 'warn',
              detail: `driver ${drv.version} present, no toolkit to build CUDA code with`,
              fix: CUDA_TOOLKIT_FIX,
            }
          : {
              name: 'cuda-compat',
              status: 'missing',
              detail: 'neither the CUDA toolkit nor an NVIDIA driver',
              fix: CUDA_TOOLKIT_FIX,
            };
      }
      return { name: 'cuda-compat', ...cudaCompatibility(toolkit.release, drv?.version) };
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// ROCm / HIP

export function hipccCheck(): Check {
  const fix = 'apt-get install -y hipcc libamdhip64-dev (then build with HIP_PLATFORM=amd)';
  return {
    name: 'hipcc',
    run: async () => {
      // HIP_PLATFORM=amd: with nvcc on the machine hipcc would otherwise switch to NVIDIA mode.
      const r = await exec('hipcc', ['--version'], { env: { ...process.env, HIP_PLATFORM: 'amd' } });
      if (r.error === 'not-found') return { name: 'hipcc', status: 'missing', detail: 'hipcc not on PATH', fix };
      const version = parseHipccVersion(r.stdout);
      if (r.code !== 0 || !version)
        return {
          name: 'hipcc',
          status: 'warn',
          detail: `hipcc --version failed: ${r.error ?? (firstLine(r.stderr) || `exit ${r.code}`)}`,
          fix,
        };
      const clang = /clang version (\S+)/.exec(r.stdout)?.[1];
      return {
        name: 'hipcc',
        status: 'ok',
        detail: `HIP ${version}${clang ? `, clang ${clang}` : ''} (HIP_PLATFORM=amd)`,
      };
    },
  };
}

export function rocmCheck(): Check {
  return {
    name: 'rocm',
    run: async () => {
      const kfd = existsSync('/dev/kfd');
      const r = await exec('rocminfo', [], { timeoutMs: 10_000 });
      const agents = r.code === 0 ? [...r.stdout.matchAll(/^\s*Name:\s*(gfx\w+)/gm)].map((m) => m[1]) : [];
      if (agents.length) return { name: 'rocm', status: 'ok', detail: `rocminfo: ${agents.join(', ')}` };
      const tool =
        r.error === 'not-found'
          ? 'rocminfo not installed'
          : `rocminfo found no GPU agent${r.code ? ` (exit ${r.code})` : ''}`;
      return {
        name: 'rocm',
        status: 'missing',
        detail:
          `${tool}; ${kfd ? '/dev/kfd present' : 'no /dev/kfd (no AMD GPU with the amdgpu kernel driver)'}: ` +
          'no device here runs HIP code',
        fix:
          r.error === 'not-found'
            ? 'apt-get install -y rocminfo; an AMD GPU with the amdgpu kernel driver'
            : 'an AMD GPU with the amdgpu kernel driver (and access to /dev/kfd: the render group)',
      };
    },
  };
}

/** Every check, in the order they are printed. */
export function allChecks(): Check[] {
  const nvcc = findNvcc();
  const driver = findNvidiaDriver();
  return [
    nodeCheck(),
    pnpmCheck(),
    onnxruntimeCheck(),
    vulkanLoaderCheck(),
    vulkanIcdCheck(),
    vulkanDevicesCheck(),
    vulkaninfoCheck(),
    webgpuCheck(),
    nvccCheck(nvcc),
    nvidiaDriverCheck(driver),
    cudaCompatibilityCheck(nvcc, driver),
    hipccCheck(),
    rocmCheck(),
  ];
}
