/**
 * The pure half of `ocellus doctor`: version parsing and comparison, the parsers for what the probed
 * tools print, and the CUDA toolkit/driver compatibility rule. No I/O here, so tests feed fixed strings.
 */

/** '535.104.05' -> [535, 104, 5]; 'v20.19.1' -> [20, 19, 1]; undefined when there is no number. */
export function parseVersion(text: string): number[] | undefined {
  const m = /(\d+(?:\.\d+)*)/.exec(text);
  return m ? m[1].split('.').map(Number) : undefined;
}

/** Compares dotted versions numerically (missing parts are 0): negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a) ?? [];
  const y = parseVersion(b) ?? [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `nvcc --version`: "Cuda compilation tools, release 13.0, V13.0.88" -> { release: '13.0', full: '13.0.88' }. */
export function parseNvccVersion(text: string): { release: string; full: string } | undefined {
  const m = /release (\d+\.\d+), V(\d+(?:\.\d+)*)/.exec(text);
  return m ? { release: m[1], full: m[2] } : undefined;
}

/** `nvidia-smi --query-gpu=driver_version --format=csv,noheader`: one version per GPU; the first. */
export function parseNvidiaSmiDriver(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^\d+(\.\d+)+$/.test(l));
  return line;
}

/**
 * /proc/driver/nvidia/version, proprietary and open kernel modules:
 *   NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023
 *   NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.65.06  Release Build  (dvs-builder@U16-I3-B03-4-3)
 */
export function parseProcNvidiaVersion(text: string): string | undefined {
  return /NVRM version:.*?Kernel Module(?: for \S+)?\s+(\d+(?:\.\d+)+)/.exec(text)?.[1];
}

/** `hipcc --version` (HIP_PLATFORM=amd): "HIP version: 5.2.21153-0" -> '5.2.21153'. */
export function parseHipccVersion(text: string): string | undefined {
  return /HIP version:\s*(\d+(?:\.\d+)*)/.exec(text)?.[1];
}

/** `ldconfig -p`: the path libvulkan.so.1 resolves to, if the loader is installed. */
export function parseLdconfigVulkan(text: string): string | undefined {
  return /^\s*libvulkan\.so\.1 \([^)]*\) => (\S+)/m.exec(text)?.[1];
}

/** `vulkaninfo --summary`: each GPUn block's deviceName and deviceType (PHYSICAL_DEVICE_TYPE_CPU -> 'cpu'). */
export function parseVulkaninfoSummary(text: string): { name: string; type: string }[] {
  const devices: { name: string; type: string }[] = [];
  let type = 'other';
  for (const line of text.split('\n')) {
    const t = /^\s*deviceType\s*=\s*PHYSICAL_DEVICE_TYPE_(\w+)/.exec(line);
    if (t) type = t[1].toLowerCase().replace('_gpu', '');
    const n = /^\s*deviceName\s*=\s*(.+?)\s*$/.exec(line);
    if (n) devices.push({ name: n[1], type });
  }
  return devices;
}

/**
 * Minimum Linux driver for each CUDA toolkit release (GA), from NVIDIA's CUDA Toolkit release notes,
 * table "CUDA Toolkit and Corresponding Driver Versions".
 */
export const CUDA_MIN_DRIVER: Readonly<Record<string, string>> = {
  '11.8': '520.61.05',
  '12.0': '525.60.13',
  '12.1': '530.30.02',
  '12.2': '535.54.03',
  '12.3': '545.23.06',
  '12.4': '550.54.14',
  '12.5': '555.42.02',
  '12.6': '560.28.03',
  '12.8': '570.26',
  '12.9': '575.51.03',
  '13.0': '580.65.06',
};

/**
 * Minor version compatibility: an application built with any toolkit of a major release runs on a
 * driver from that major's first release (without PTX JIT of newer code, nor features that need a
 * newer driver). Release notes: 11.x >= 450.80.02, 12.x >= 525.60.13, 13.x >= 580.
 */
export const CUDA_MINOR_COMPAT_DRIVER: Readonly<Record<string, string>> = {
  '11': '450.80.02',
  '12': '525.60.13',
  '13': '580',
};

export interface CudaCompatibility {
  status: 'ok' | 'missing' | 'warn';
  detail: string;
  fix?: string;
}

/** The toolkit's own minimum: its table entry, else the closest lower release of the same major. */
export function cudaMinimumDriver(toolkit: string): { version: string; from: string } | undefined {
  if (CUDA_MIN_DRIVER[toolkit]) return { version: CUDA_MIN_DRIVER[toolkit], from: toolkit };
  const major = toolkit.split('.')[0];
  const lower = Object.keys(CUDA_MIN_DRIVER)
    .filter((k) => k.split('.')[0] === major && compareVersions(k, toolkit) < 0)
    .sort(compareVersions)
    .pop();
  return lower ? { version: CUDA_MIN_DRIVER[lower], from: lower } : undefined;
}

/**
 * Can code built with CUDA `toolkit` (e.g. '12.4') run on the installed `driver` (e.g. '535.104.05', or
 * undefined when there is none)? Says both facts: the toolkit's own minimum driver and the minor-version
 * compatibility floor of its major release.
 */
export function cudaCompatibility(toolkit: string, driver: string | undefined): CudaCompatibility {
  const major = toolkit.split('.')[0];
  const own = cudaMinimumDriver(toolkit);
  const floor = CUDA_MINOR_COMPAT_DRIVER[major];
  const ownText = own
    ? `CUDA ${toolkit} needs driver >= ${own.version}` +
      `${own.from === toolkit ? '' : ` (from ${own.from}; ${toolkit} is not in the table)`}`
    : `CUDA ${toolkit} is not in the table`;
  const floorText = floor
    ? `with minor version compatibility any ${major}.x runs on >= ${floor}`
    : `no minor version compatibility floor known for ${major}.x`;
  const facts = `${ownText}; ${floorText}`;
  const upgrade =
    `install an NVIDIA driver >= ${own?.version ?? floor ?? 'the one the toolkit names'} ` +
    '(https://www.nvidia.com/drivers; Debian: apt-get install -y nvidia-driver from non-free)';
  if (driver === undefined) {
    return {
      status: 'warn',
      detail: `CUDA code builds here but cannot run: no NVIDIA driver (${facts})`,
      fix: upgrade,
    };
  }
  if (own && compareVersions(driver, own.version) >= 0)
    return { status: 'ok', detail: `driver ${driver} runs CUDA ${toolkit} code (${facts})` };
  if (floor && compareVersions(driver, floor) >= 0) {
    return {
      status: 'warn',
      detail:
        `driver ${driver} runs CUDA ${toolkit} code only through minor version compatibility (no PTX JIT of ` +
        `newer code, no features that need a newer driver) (${facts})`,
      fix: upgrade,
    };
  }
  if (!own && !floor)
    return { status: 'warn', detail: `cannot tell whether driver ${driver} runs CUDA ${toolkit} code (${facts})` };
  return { status: 'missing', detail: `driver ${driver} is too old for CUDA ${toolkit} code (${facts})`, fix: upgrade };
}
