import { type Device, OFFICIAL_BACKENDS, discoverBackends, listBackends, openDevice } from '@ocellus/core';
import { backendNames } from './args.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

/**
 * Opens the device a command runs on. A backend name nobody knows is a usage error (exit 2); a known
 * backend without a usable device is core's BackendUnavailableError (exit 1). Every backend passed
 * over is reported on stderr, so a user who expected a GPU sees why they got the CPU.
 */
export async function openCommandDevice(spec: string, io: Io): Promise<Device> {
  await checkBackendNames(spec);
  const device = await openDevice(spec);
  reportSkipped(device, io);
  return device;
}

/** Refuses (usage error, exit 2) a backend name that is neither installed nor one of ours. */
export async function checkBackendNames(spec: string): Promise<void> {
  await discoverBackends();
  const known = new Set<string>([...listBackends().map((b) => b.name), ...OFFICIAL_BACKENDS]);
  for (const name of backendNames(spec)) {
    if (!known.has(name))
      throw new UsageError(`unknown backend '${name}' in --backend ${spec} (known: ${[...known].join(', ')})`);
  }
}

/**
 * Which device a command uses when the selection passed over others, in one short line on stderr (a
 * user who expected a GPU sees it); the reasons with --verbose, or in `ocellus devices`.
 */
export function reportSkipped(device: Device | undefined, io: Io): void {
  const skipped = device?.skipped ?? [];
  if (skipped.length === 0) return;
  if (io.verbose) {
    for (const s of skipped)
      io.stderr.write(`ocellus: skipped ${s.backend}: ${oneLine(s.reason)}; using ${device!.id}\n`);
    return;
  }
  const names = skipped.map((s) => s.backend).join(', ');
  io.stderr.write(`ocellus: using ${device!.id} (passed over ${names}: --verbose or \`ocellus devices\` says why)\n`);
}

/** Runs `fn` on an opened device and closes it whatever happens (closing also frees leftover tensors). */
export async function withDevice<T>(spec: string, io: Io, fn: (device: Device) => Promise<T>): Promise<T> {
  const device = await openCommandDevice(spec, io);
  try {
    return await fn(device);
  } finally {
    await device.close();
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
