import { type BackendStatus, backendStatuses, deviceId } from '@ocellus/core';
import { parseCommand } from '../args.js';
import type { Io } from '../io.js';

/** The documented `devices --json` shape: stable for scripts, unlike the human listing. */
export interface DeviceJson {
  id: string;
  name: string;
  type: string;
  memoryBytes?: number;
}

export interface BackendJson {
  backend: string;
  available: boolean;
  reason?: string;
  devices: DeviceJson[];
}

/** `ocellus devices [--json]` */
export async function devicesCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand('devices', args, { json: { type: 'boolean', default: false } }, { names: [], required: 0 });
  const statuses = await backendStatuses();
  io.stdout.write(values.json ? `${JSON.stringify(toJson(statuses), null, 2)}\n` : formatDevices(statuses));
  return 0;
}

export function toJson(statuses: readonly BackendStatus[]): BackendJson[] {
  return statuses.map((s) => ({
    backend: s.backend,
    available: s.available,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    devices: s.devices.map((d) => ({
      id: deviceId(d),
      name: d.name,
      type: d.type,
      ...(d.memoryBytes === undefined ? {} : { memoryBytes: d.memoryBytes }),
    })),
  }));
}

/**
 * One line per backend (with the reason when it is unavailable), then one indented line per device:
 *   cpu       available
 *     cpu:0   cpu        15.6 GiB  AMD EPYC 7B13
 *   vulkan    unavailable: no Vulkan loader found
 */
export function formatDevices(statuses: readonly BackendStatus[]): string {
  const width = Math.max(8, ...statuses.map((s) => s.backend.length)) + 2;
  const lines: string[] = [];
  for (const s of statuses) {
    const reason = s.reason ? `: ${s.reason.replace(/\s*\n\s*/g, ' ')}` : '';
    lines.push(`${s.backend.padEnd(width)}${s.available ? 'available' : 'unavailable'}${reason}`);
    for (const d of s.devices) {
      const memory = d.memoryBytes === undefined ? '-' : formatBytes(d.memoryBytes);
      lines.push(`  ${deviceId(d).padEnd(width - 2)}${d.type.padEnd(11)}${memory.padEnd(10)}${d.name}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
